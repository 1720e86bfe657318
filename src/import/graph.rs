//! Microsoft Graph list exports, streamed: a file holds one or more pages
//! (`{"@odata.context": …, "value": […], "@odata.nextLink": …}`, as `az rest` or the
//! Graph API return them, concatenated or one per line) or a bare JSON array (the
//! Entra admin center download, `ConvertTo-Json` of `Get-Mg…`). Records are
//! deserialized one at a time from `value[]` and handed to a callback, so an export of
//! any size is never held in memory.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The file cannot be opened.
    #[error("{file}: cannot open")]
    Open {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Malformed or truncated JSON, a record of the wrong shape, or a record the
    /// callback refused; the message names the record and the field.
    #[error("{file}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// Record, field and position.
        message: String,
    },
    /// A page announces a next page that the file does not contain.
    #[error(
        "{file}: page {page} ends with @odata.nextLink but the file has no more pages: the export is incomplete (export every page: Get-Mg… -All, or follow @odata.nextLink until it is absent)"
    )]
    Truncated {
        /// The file.
        file: String,
        /// The last page (1-based).
        page: usize,
    },
}

/// What reading one file saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pages {
    /// Pages read (a bare array counts as one).
    pub pages: usize,
    /// Records handed to the callback.
    pub records: usize,
}

/// Reads every record of type `T` in `path`, calling `each(index, record)` in file
/// order; an `Err(text)` from the callback stops the read with that text.
pub fn read<T, F>(path: &Path, mut each: F) -> Result<Pages, GraphError>
where
    T: DeserializeOwned,
    F: FnMut(usize, T) -> Result<(), String>,
{
    let file = path.display().to_string();
    let handle = File::open(path).map_err(|source| GraphError::Open {
        file: file.clone(),
        source,
    })?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, handle));
    let mut state = State {
        pages: Pages::default(),
        next_link: false,
        each: &mut each,
        kind: std::marker::PhantomData,
    };
    // `end` succeeds only when nothing but whitespace is left.
    while de.end().is_err() {
        PageSeed(&mut state).deserialize(&mut de).map_err(|e| {
            let read = match state.pages.records {
                0 => String::new(),
                n => format!(" ({n} records read before it)"),
            };
            GraphError::Parse {
                file: file.clone(),
                message: format!("{e}{read}"),
            }
        })?;
        state.pages.pages += 1;
    }
    if state.next_link {
        return Err(GraphError::Truncated {
            file,
            page: state.pages.pages,
        });
    }
    Ok(state.pages)
}

struct State<'f, T, F> {
    pages: Pages,
    next_link: bool,
    each: &'f mut F,
    kind: std::marker::PhantomData<T>,
}

/// One page object or a bare array.
struct PageSeed<'s, 'f, T, F>(&'s mut State<'f, T, F>);

impl<'de, T, F> DeserializeSeed<'de> for PageSeed<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(usize, T) -> Result<(), String>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T, F> Visitor<'de> for PageSeed<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(usize, T) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Graph page {\"value\": [...]} or a JSON array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.next_link = false;
        Records(self.0).visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let mut has_value = false;
        let mut next_link = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => {
                    map.next_value_seed(Records(&mut *state))?;
                    has_value = true;
                }
                "@odata.nextLink" => {
                    next_link = map.next_value::<Option<String>>()?.is_some();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_value {
            return Err(de::Error::custom(format!(
                "page {} has no \"value\" array: is this a Graph list export?",
                state.pages.pages + 1
            )));
        }
        state.next_link = next_link;
        Ok(())
    }
}

/// The `value[]` array, element by element.
struct Records<'s, 'f, T, F>(&'s mut State<'f, T, F>);

impl<'de, T, F> DeserializeSeed<'de> for Records<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(usize, T) -> Result<(), String>,
{
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T, F> Visitor<'de> for Records<'_, '_, T, F>
where
    T: DeserializeOwned,
    F: FnMut(usize, T) -> Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let state = self.0;
        loop {
            let index = state.pages.records;
            let Some(record) =
                seq.next_element_seed(Record::<T>(index, std::marker::PhantomData))?
            else {
                return Ok(());
            };
            (state.each)(index, record).map_err(de::Error::custom)?;
            state.pages.records += 1;
        }
    }
}

/// One record, with the path of a bad field in the error.
struct Record<T>(usize, std::marker::PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Record<T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        serde_path_to_error::deserialize(d).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "?" || path == "." {
                String::new()
            } else {
                format!(" field '{path}':")
            };
            de::Error::custom(format!("record {}:{field} {}", self.0, e.inner()))
        })
    }
}
