//! `tokensim import`: Graph exports of a tenant → a model file and an import report;
//! with `--synth`, the reverse for testing: Graph-shaped exports drawn from a model.

use super::model_args::{ModelArgs, Threads, parse_override};
use crate::import::{self, Inputs, synth};
use crate::metrics::atomic;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Inputs are JSON exactly as Microsoft Graph returns it: pages with value[] and
@odata.nextLink (several pages in one file, concatenated or one per line), or a bare
array (the Entra admin center download, ConvertTo-Json of Get-Mg...). Exports are
streamed, so any size works; user ids are hashed in memory and never written.

Examples:
  tokensim import --signins signins.json --policies ca.json --lifetime tlp.json --out tenant.toml
  tokensim check tenant.toml && tokensim validate tenant.toml --against signins.json
  tokensim import --synth models/synthetic-tenant.toml --out fixture/     (draw exports from a model)
  tokensim import --synth models/synthetic-tenant.toml --set scenario.users=20000 --out big/";

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Sign-in log exports (GET /auditLogs/signIns, interactive and non-interactive); repeatable.
    #[arg(long, value_name = "FILE", required_unless_present = "synth")]
    pub signins: Vec<PathBuf>,
    /// Conditional Access policy exports (GET /identity/conditionalAccess/policies); repeatable.
    #[arg(long, value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Token lifetime policy exports (GET /policies/tokenLifetimePolicies); repeatable.
    #[arg(long, value_name = "FILE")]
    pub lifetime: Vec<PathBuf>,
    /// The model file to write; with --synth, the folder for the exports.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// The import report (default: the model's path with `.import.md`).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Instead of importing, simulate this model and write signins.json, policies.json
    /// and lifetime.json in the Graph shapes into --out (deterministic test fixtures).
    #[arg(long, value_name = "MODEL", conflicts_with_all = ["signins", "policies", "lifetime", "report"])]
    pub synth: Option<PathBuf>,
    /// `--set` overrides of the --synth model.
    #[arg(long = "set", value_name = "KEY=VALUE", requires = "synth", value_parser = parse_override)]
    pub set: Vec<crate::scenario::Override>,
    #[command(flatten)]
    threads: Threads,
}

/// Runs the command.
pub fn import(args: ImportArgs) -> anyhow::Result<()> {
    if let Some(model) = &args.synth {
        let model = ModelArgs {
            model: Some(model.clone()),
            set: args.set.clone(),
            seed: None,
        };
        let scenario = model.load()?;
        let files = synth::write_exports(&scenario, args.threads.get(), &args.out)
            .with_context(|| format!("cannot write the exports into {}", args.out.display()))?;
        for f in files {
            println!("wrote {}", f.display());
        }
        return Ok(());
    }
    let inputs = Inputs {
        signins: args.signins,
        policies: args.policies,
        lifetime: args.lifetime,
    };
    let imported = import::import(&inputs)?;
    atomic::write_bytes(&args.out, imported.model.as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let report = args
        .report
        .unwrap_or_else(|| args.out.with_extension("import.md"));
    atomic::write_bytes(&report, imported.report.as_bytes())
        .with_context(|| format!("cannot write {}", report.display()))?;
    let users: u32 = imported.fit.segments.iter().map(|s| s.users).sum();
    println!(
        "wrote {}: {users} users in {} segments; report {}",
        args.out.display(),
        imported.fit.segments.len(),
        report.display()
    );
    Ok(())
}
