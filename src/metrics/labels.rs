//! The users table's text columns (segment, app, profile, client, sign-in) held in
//! memory as `Int32` codes: each takes a handful of values, and a text cell costs a
//! 16-byte view where a code costs 4 (about 140 MB of a million users' table). Codes
//! index each column's names sorted as polars sorts text, so ordering or grouping by
//! a code orders and groups as by its name; the files keep the text.

use super::schema::users as uc;
use crate::domain::{AppSpec, Segment};
use crate::scenario::Scenario;
use polars::prelude::*;
use std::collections::BTreeSet;

/// The names behind the codes of a scenario's users table, per text column.
#[derive(Debug, Clone)]
pub struct Labels {
    /// For each column of [`uc::TEXT`], its names in byte order (a code is an index).
    names: [Vec<String>; 5],
}

impl Labels {
    /// Every name the users table of `s` can hold.
    pub fn of(s: &Scenario) -> Labels {
        let mut sets: [BTreeSet<&str>; 5] = Default::default();
        for seg in &s.segments {
            sets[0].insert(&seg.name);
            sets[4].insert(seg.sign_in.label());
            for app in &seg.apps {
                sets[1].insert(&app.name);
                sets[2].insert(app.profile.label());
                sets[3].insert(app.client.label());
            }
        }
        Labels {
            names: sets.map(|set| set.into_iter().map(String::from).collect()),
        }
    }

    /// The codes of the row of app `app` of segment `seg` (of the scenario).
    pub fn codes(&self, seg: &Segment, app: &AppSpec) -> [i32; 5] {
        let names = [
            seg.name.as_str(),
            app.name.as_str(),
            app.profile.label(),
            app.client.label(),
            seg.sign_in.label(),
        ];
        std::array::from_fn(|k| self.code(k, names[k]).expect("a name of the scenario"))
    }

    fn code(&self, column: usize, name: &str) -> Option<i32> {
        let names = &self.names[column];
        names
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()
            .map(|i| i as i32)
    }

    fn column(name: &str) -> Option<usize> {
        uc::TEXT.iter().position(|c| *c == name)
    }

    /// The column `name` with its codes as names (another column as text): an
    /// expression for result frames of a few rows (one branch per name).
    pub fn name(&self, name: &str) -> Expr {
        let codes = col(name);
        let Some(column) = Labels::column(name) else {
            return codes.cast(DataType::String);
        };
        let null = lit(NULL).cast(DataType::String);
        self.names[column]
            .iter()
            .enumerate()
            .rev()
            .fold(null, |rest, (k, n)| {
                when(codes.clone().eq(lit(k as i32)))
                    .then(lit(n.as_str()))
                    .otherwise(rest)
            })
            .alias(name)
    }

    /// `df` with its code columns turned into text (what the files hold).
    pub fn decode(&self, mut df: DataFrame) -> PolarsResult<DataFrame> {
        for (k, name) in uc::TEXT.iter().enumerate() {
            let names = &self.names[k];
            let codes = df.column(name)?.i32()?;
            let text: PolarsResult<Vec<&str>> = codes
                .into_no_null_iter()
                .map(|c| {
                    usize::try_from(c)
                        .ok()
                        .and_then(|i| names.get(i))
                        .map(String::as_str)
                        .ok_or_else(|| polars_err!(OutOfBounds: "no {name} of code {c}"))
                })
                .collect();
            let text = StringChunked::from_iter_values((*name).into(), text?.into_iter());
            df.replace(name, text.into_column())?;
        }
        Ok(df)
    }

    /// `df` with its text columns (as read from a file) turned into codes; a name the
    /// scenario does not have is an error naming it.
    pub fn encode(&self, mut df: DataFrame) -> Result<DataFrame, String> {
        for (k, name) in uc::TEXT.iter().enumerate() {
            let text = df
                .column(name)
                .and_then(|c| c.str().cloned())
                .map_err(|e| e.to_string())?;
            let codes = text
                .iter()
                .map(|v| {
                    let v = v.unwrap_or_default();
                    self.code(k, v)
                        .ok_or_else(|| format!("{name} '{v}' is not one of the model's"))
                })
                .collect::<Result<Vec<i32>, String>>()?;
            let codes = Int32Chunked::from_vec((*name).into(), codes).into_column();
            df.replace(name, codes).map_err(|e| e.to_string())?;
        }
        Ok(df)
    }
}

#[cfg(test)]
mod tests {
    use super::Labels;
    use crate::metrics::schema::users as uc;
    use crate::scenario::load_default;
    use polars::prelude::*;

    #[test]
    fn codes_order_as_their_names_and_survive_a_round_trip() {
        let s = load_default(&[]).expect("the default model");
        let labels = Labels::of(&s);
        let apps: Vec<&str> = s.segments[0].apps.iter().map(|a| a.name.as_str()).collect();
        let mut sorted = apps.clone();
        sorted.sort();
        let code = |n: &str| labels.code(1, n).unwrap();
        assert!(sorted.windows(2).all(|w| code(w[0]) < code(w[1])));
        let seg = &s.segments[0];
        let codes = labels.codes(seg, &seg.apps[0]);
        assert_eq!(codes[1], code(apps[0]));
        let text: Vec<Column> = (0..uc::TEXT.len())
            .map(|k| {
                let v = labels.names[k][codes[k] as usize].as_str();
                Column::new(uc::TEXT[k].into(), [v, v])
            })
            .collect();
        let df = DataFrame::new_infer_height(text).unwrap();
        let codes = labels.encode(df.clone()).unwrap();
        assert_eq!(codes.column(uc::APP).unwrap().dtype(), &DataType::Int32);
        assert!(labels.decode(codes).unwrap().equals(&df));
        let bad = df.lazy().with_column(lit("nobody").alias(uc::SEGMENT));
        let err = labels.encode(bad.collect().unwrap()).unwrap_err();
        assert!(err.contains("'nobody'"), "{err}");
    }
}
