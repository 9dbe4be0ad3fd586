//! `mlsconf demo [--store DIR]`: runs the explainer's basic and advanced examples
//! through the Web API and prints what each step returned.
//!
//! Without `--store` the origin's state is kept in memory; with it, in the encrypted
//! store under DIR (spec §9), where it stays after the run. Every member's
//! `exportSecret` is compared at every epoch; the run fails if any step fails or any two
//! members disagree.

use std::path::PathBuf;
use std::process::ExitCode;

use mls_webapi::webapi::{GroupView, Mls, MlsBytes, ObjectType, Received, WebApiError, epoch_of};

/// The origin the demo runs in.
const ORIGIN: &str = "https://demo.example";

/// Arguments of `mlsconf demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Keep the origin's state in the encrypted store under DIR instead of in memory.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// Runs the demo; prints the transcript on stdout and any failure on stderr.
pub fn run(args: &DemoArgs) -> ExitCode {
    let mls = match &args.store {
        Some(dir) => Mls::open(dir, ORIGIN),
        None => Mls::in_memory(ORIGIN),
    }
    .expect("ORIGIN is a serialized origin");
    let mut demo = Demo {
        mls,
        names: Vec::new(),
    };
    match demo.examples() {
        Ok(()) => {
            println!("\nevery member agreed on exportSecret at every epoch");
            if let Some(dir) = &args.store {
                println!("the origin's state is in {}", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A failed step: an error of the Web API, or members that disagree.
type StepResult<T> = Result<T, String>;

fn api<T>(step: &str, r: Result<T, WebApiError>) -> StepResult<T> {
    r.map_err(|e| format!("{step}: {e}"))
}

struct Demo {
    mls: Mls,
    /// The client ids seen so far, with the names they were made for.
    names: Vec<(Vec<u8>, String)>,
}

impl Demo {
    /// A new identity called `name`, with its credential.
    fn client(&mut self, name: &str) -> StepResult<(MlsBytes, MlsBytes)> {
        let id = api("generateIdentity", self.mls.generate_identity())?;
        let credential = api("generateCredential", self.mls.generate_credential(name))?;
        self.names.push((id.content.clone(), name.to_owned()));
        println!(
            "{name}: identity {} ({} bytes), credential {} bytes",
            id.kind,
            id.content.len(),
            credential.content.len()
        );
        Ok((id, credential))
    }

    fn key_package(&self, name: &str, client: &(MlsBytes, MlsBytes)) -> StepResult<MlsBytes> {
        let kp = api(
            "generateKeyPackage",
            self.mls.generate_key_package(&client.0, &client.1),
        )?;
        println!("{name}: key package, {} bytes", kp.content.len());
        Ok(kp)
    }

    fn name_of(&self, client_id: &[u8]) -> &str {
        self.names
            .iter()
            .find(|(id, _)| id == client_id)
            .map_or("?", |(_, name)| name.as_str())
    }

    /// `view.receive(message)`, printed.
    fn receive(&self, who: &str, view: &GroupView, message: &[u8]) -> StepResult<Received> {
        let r = api(&format!("{who}.receive"), view.receive(message))?;
        let what = match r.kind {
            ObjectType::CommitProcessed => match r.group_epoch.as_deref().and_then(epoch_of) {
                Some(u64::MAX) => "removed from the group".to_owned(),
                Some(e) => format!("now at epoch {e}"),
                None => "no epoch".to_owned(),
            },
            ObjectType::ApplicationMessagePlaintext => format!(
                "{:?}",
                String::from_utf8_lossy(r.content.as_deref().unwrap_or_default())
            ),
            ObjectType::CommitOutput => "a proposal, committed in turn".to_owned(),
            other => other.to_string(),
        };
        println!("{who} receives: {} — {what}", r.kind);
        Ok(r)
    }

    /// Prints the members of `view`'s group in leaf order.
    fn details(&self, who: &str, view: &GroupView) -> StepResult<()> {
        let d = api(&format!("{who}.details"), view.details())?;
        let members: Vec<&str> = d
            .members
            .iter()
            .map(|m| self.name_of(&m.client_id))
            .collect();
        let epoch = epoch_of(&d.group_epoch).unwrap_or_default();
        println!("{who}: epoch {epoch}, members {}", members.join(", "));
        Ok(())
    }

    /// Every view agrees on `exportSecret("demo", "", 32)`.
    fn agree(&self, views: &[&GroupView]) -> StepResult<()> {
        let mut first = None;
        for v in views {
            let out = api(
                "exportSecret",
                v.export_secret("demo", Vec::<u8>::new(), 32),
            )?;
            match &first {
                None => first = Some(out),
                Some(f) if f.secret == out.secret && f.group_epoch == out.group_epoch => {}
                Some(_) => return Err("members disagree on exportSecret".to_owned()),
            }
        }
        Ok(())
    }

    /// The basic example, then the advanced one.
    fn examples(&mut self) -> StepResult<()> {
        println!("== basic example");
        let a = self.client("alice")?;
        let b = self.client("bob")?;
        let akp = self.key_package("alice", &a)?;
        self.key_package("bob", &b)?;
        let gb = api("groupCreate", self.mls.group_create(&b.0, &b.1))?;
        self.details("bob", &gb)?;
        let co1 = api("add", gb.add(&akp))?;
        let welcome1 = co1.welcome.clone().ok_or("add gave no Welcome")?;
        self.receive("bob", &gb, &co1.commit)?;
        let ctx1 = api("send", gb.send("Hello Alice!"))?;
        let ga = api("groupJoin", self.mls.group_join(&a.0, &welcome1))?;
        self.receive("alice", &ga, &ctx1.content)?;
        self.agree(&[&ga, &gb])?;

        println!("\n== advanced example");
        let c = self.client("charlie")?;
        let ckp = self.key_package("charlie", &c)?;
        let co2 = api("add", ga.add(&ckp))?;
        self.receive("alice", &ga, &co2.commit)?;
        self.receive("bob", &gb, &co2.commit)?;
        let gc = api(
            "groupJoin",
            self.mls
                .group_join(&c.0, co2.welcome.as_deref().unwrap_or_default()),
        )?;
        self.agree(&[&ga, &gb, &gc])?;
        let ctx2 = api("send", gc.send("Hi all"))?;
        self.receive("alice", &ga, &ctx2.content)?;
        self.receive("bob", &gb, &ctx2.content)?;

        let co3 = api("remove", gc.remove(&b.0))?;
        for (who, view) in [("alice", &ga), ("bob", &gb), ("charlie", &gc)] {
            self.receive(who, view, &co3.commit)?;
        }
        self.agree(&[&ga, &gc])?;
        let p4 = api("proposeRemove", ga.propose_remove(&a.0))?;
        let co4 = self.receive("charlie", &gc, &p4.content)?;
        let commit4 = co4
            .commit_output
            .map(|o| o.commit)
            .ok_or("no auto-commit")?;
        self.receive("alice", &ga, &commit4)?;
        self.receive("charlie", &gc, &commit4)?;

        let d = self.client("delphine")?;
        let e = self.client("ernest")?;
        let dkp = self.key_package("delphine", &d)?;
        let ekp = self.key_package("ernest", &e)?;
        let co5 = api("add", gc.add(&dkp))?;
        self.receive("charlie", &gc, &co5.commit)?;
        let gd = api(
            "groupJoin",
            self.mls
                .group_join(&d.0, co5.welcome.as_deref().unwrap_or_default()),
        )?;
        self.agree(&[&gc, &gd])?;
        let p6 = api("proposeAdd", gd.propose_add(&ekp))?;
        let rec6 = self.receive("charlie", &gc, &p6.content)?;
        let out6 = rec6.commit_output.ok_or("no auto-commit")?;
        self.receive("charlie", &gc, &out6.commit)?;
        self.receive("delphine", &gd, &out6.commit)?;
        let ge = api(
            "groupJoin",
            self.mls
                .group_join(&e.0, out6.welcome.as_deref().unwrap_or_default()),
        )?;
        self.agree(&[&gc, &gd, &ge])?;
        let exported = api(
            "exportSecret",
            ge.export_secret("label", b"context".to_vec(), 32),
        )?;
        println!(
            "ernest exports {} bytes at epoch {}",
            exported.secret.len(),
            epoch_of(&exported.group_epoch).unwrap_or_default()
        );
        for (who, view) in [("charlie", &gc), ("delphine", &gd), ("ernest", &ge)] {
            self.details(who, view)?;
        }
        Ok(())
    }
}
