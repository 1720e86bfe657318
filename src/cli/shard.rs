//! The index contract of sharded runs and sweeps: `--shard I/N` names the I-th
//! (0-based) of N disjoint slices; `--shard-from-env --shards N` takes I from the
//! scheduler, so a Kubernetes Indexed Job, a Slurm job array or `xargs -P` can drive
//! tokensim without a scheduler of its own.

use crate::pipeline::shard::Shard;
use clap::Args;

/// Kubernetes Indexed Jobs set this to the pod's completion index, 0..completions-1.
pub const K8S_INDEX: &str = "JOB_COMPLETION_INDEX";
/// Slurm job arrays set this to the task's id in `--array` (which may start anywhere).
pub const SLURM_ID: &str = "SLURM_ARRAY_TASK_ID";
/// Slurm's lowest id of the array: subtracted, so `--array=1-4` gives shards 0..3.
pub const SLURM_MIN: &str = "SLURM_ARRAY_TASK_MIN";
/// Slurm's step of the array (`--array=0-6:2`): the offset is divided by it.
pub const SLURM_STEP: &str = "SLURM_ARRAY_TASK_STEP";
/// Slurm's number of tasks in the array: checked against `--shards` when set.
pub const SLURM_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";

/// Why a shard could not be determined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// The index from the environment is not below N (or N is 0).
    #[error("{from}: {message}")]
    Invalid {
        /// Where the index came from.
        from: String,
        /// What is wrong with it.
        message: String,
    },
    /// An index variable is not a whole number.
    #[error("{var}='{value}' is not a whole number")]
    NotANumber {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
    },
    /// `--shard-from-env` found no index.
    #[error(
        "--shard-from-env: neither {K8S_INDEX} (Kubernetes Indexed Job) nor {SLURM_ID} (Slurm job array) is set"
    )]
    NoIndex,
    /// Both schedulers' variables are set and disagree.
    #[error("--shard-from-env: {K8S_INDEX}={k8s} and {slurm} disagree; unset one")]
    Disagree {
        /// The Kubernetes index.
        k8s: u32,
        /// The Slurm index and where it came from.
        slurm: String,
    },
    /// The Slurm id does not fall on the array's grid.
    #[error("{SLURM_ID}={id} is not on the array {SLURM_MIN}={min}, {SLURM_STEP}={step}")]
    OffGrid {
        /// The task id.
        id: u32,
        /// The array's lowest id.
        min: u32,
        /// The array's step.
        step: u32,
    },
    /// The Slurm array has another number of tasks than `--shards`.
    #[error("{SLURM_COUNT}={tasks} but --shards {count}: the array and the shard count must match")]
    CountMismatch {
        /// Tasks in the array.
        tasks: u32,
        /// `--shards`.
        count: u32,
    },
}

/// `--shard I/N` or `--shard-from-env --shards N`, shared by `run` and `sweep`.
#[derive(Debug, Clone, Default, Args)]
pub struct ShardArgs {
    /// Run only the I-th (0-based) of N disjoint slices, round-robin (item k belongs to
    /// shard k mod N), into OUT/shard=I/; `tokensim merge OUT` joins the N shards.
    #[arg(long, value_name = "I/N", conflicts_with = "shard_from_env")]
    pub shard: Option<Shard>,
    /// Take I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID
    /// (Slurm array, rebased by SLURM_ARRAY_TASK_MIN and _STEP); N from --shards.
    #[arg(long, requires = "shards")]
    pub shard_from_env: bool,
    /// The shard count N for --shard-from-env.
    #[arg(long, value_name = "N", requires = "shard_from_env")]
    pub shards: Option<u32>,
}

impl ShardArgs {
    /// The shard asked for, if any, reading the process environment.
    pub fn get(&self) -> anyhow::Result<Option<Shard>> {
        Ok(self.resolve(|var| std::env::var(var).ok())?)
    }

    /// The shard asked for, with `env` reading a variable (a map in tests).
    pub fn resolve(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Shard>, ShardError> {
        if let Some(shard) = self.shard {
            return Ok(Some(shard));
        }
        let Some(count) = self.shards.filter(|_| self.shard_from_env) else {
            return Ok(None);
        };
        let number = |var: &'static str| -> Result<Option<u32>, ShardError> {
            env(var)
                .map(|v| {
                    v.trim().parse().map_err(|_| ShardError::NotANumber {
                        var,
                        value: v.clone(),
                    })
                })
                .transpose()
        };
        let k8s = number(K8S_INDEX)?;
        let slurm = match number(SLURM_ID)? {
            None => None,
            Some(id) => {
                let min = number(SLURM_MIN)?.unwrap_or(0);
                let step = number(SLURM_STEP)?.unwrap_or(1).max(1);
                if id < min || (id - min) % step != 0 {
                    return Err(ShardError::OffGrid { id, min, step });
                }
                if let Some(tasks) = number(SLURM_COUNT)?
                    && tasks != count
                {
                    return Err(ShardError::CountMismatch { tasks, count });
                }
                let index = (id - min) / step;
                let from = if index == id {
                    format!("{SLURM_ID}={id}")
                } else {
                    format!("{SLURM_ID}={id} (shard {index} of an array from {min} by {step})")
                };
                Some((index, from))
            }
        };
        let (index, from) = match (k8s, slurm) {
            (Some(k), Some((s, from))) if k != s => {
                return Err(ShardError::Disagree {
                    k8s: k,
                    slurm: from,
                });
            }
            (Some(k), _) => (k, format!("{K8S_INDEX}={k}")),
            (None, Some(s)) => s,
            (None, None) => return Err(ShardError::NoIndex),
        };
        Shard::new(index, count)
            .map(Some)
            .map_err(|message| ShardError::Invalid { from, message })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn from_env(count: u32, vars: &[(&str, &str)]) -> Result<Option<Shard>, ShardError> {
        let vars: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let args = ShardArgs {
            shard: None,
            shard_from_env: true,
            shards: Some(count),
        };
        args.resolve(|k| vars.get(k).cloned())
    }

    #[test]
    fn kubernetes_index_is_the_shard() {
        assert_eq!(
            from_env(4, &[(K8S_INDEX, "3")]),
            Ok(Some(Shard { index: 3, count: 4 }))
        );
        let e = from_env(4, &[(K8S_INDEX, "4")]).unwrap_err().to_string();
        assert!(
            e.contains("JOB_COMPLETION_INDEX=4") && e.contains("below the shard count 4"),
            "{e}"
        );
        let e = from_env(4, &[(K8S_INDEX, "x")]).unwrap_err().to_string();
        assert_eq!(e, "JOB_COMPLETION_INDEX='x' is not a whole number");
    }

    #[test]
    fn slurm_ids_are_rebased_by_the_array_minimum_and_step() {
        let at = |vars: &[(&str, &str)]| from_env(4, vars);
        assert_eq!(
            at(&[(SLURM_ID, "2")]),
            Ok(Some(Shard { index: 2, count: 4 }))
        );
        // --array=1-4
        let one_based = [(SLURM_ID, "4"), (SLURM_MIN, "1"), (SLURM_COUNT, "4")];
        assert_eq!(at(&one_based), Ok(Some(Shard { index: 3, count: 4 })));
        // --array=10-16:2
        let stepped = [(SLURM_ID, "14"), (SLURM_MIN, "10"), (SLURM_STEP, "2")];
        assert_eq!(at(&stepped), Ok(Some(Shard { index: 2, count: 4 })));
        let e = at(&[(SLURM_ID, "13"), (SLURM_MIN, "10"), (SLURM_STEP, "2")]);
        assert_eq!(
            e,
            Err(ShardError::OffGrid {
                id: 13,
                min: 10,
                step: 2
            })
        );
        let e = at(&[(SLURM_ID, "0"), (SLURM_COUNT, "8")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("SLURM_ARRAY_TASK_COUNT=8 but --shards 4"), "{e}");
        // Without the minimum a 1-based array's last task falls off the end.
        let e = at(&[(SLURM_ID, "4")]).unwrap_err().to_string();
        assert_eq!(
            e,
            "SLURM_ARRAY_TASK_ID=4: shard index 4 is not below the shard count 4 (shards are 0..4)"
        );
    }

    #[test]
    fn both_schedulers_must_agree_and_one_must_be_there() {
        let both = [(K8S_INDEX, "1"), (SLURM_ID, "2"), (SLURM_MIN, "1")];
        assert_eq!(from_env(4, &both), Ok(Some(Shard { index: 1, count: 4 })));
        let e = from_env(4, &[(K8S_INDEX, "1"), (SLURM_ID, "3"), (SLURM_MIN, "1")]);
        assert_eq!(
            e.unwrap_err().to_string(),
            "--shard-from-env: JOB_COMPLETION_INDEX=1 and SLURM_ARRAY_TASK_ID=3 (shard 2 of an array from 1 by 1) disagree; unset one"
        );
        let e = from_env(4, &[]).unwrap_err().to_string();
        assert!(
            e.contains("JOB_COMPLETION_INDEX") && e.contains("SLURM_ARRAY_TASK_ID"),
            "{e}"
        );
        let e = from_env(0, &[(K8S_INDEX, "0")]).unwrap_err().to_string();
        assert!(e.contains("at least 1"), "{e}");
    }

    #[test]
    fn no_shard_flags_mean_the_whole_run() {
        assert_eq!(ShardArgs::default().resolve(|_| Some("1".into())), Ok(None));
    }
}
