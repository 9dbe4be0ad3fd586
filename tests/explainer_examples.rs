//! The explainer's basic and advanced examples (spec §12, `explainer.rs`), run through
//! the Web API in one origin, as the explainer runs them.
//!
//! Each example writes a transcript of everything deterministic (object types, epochs,
//! membership in leaf order, credentials, plaintexts, and the lengths of the messages,
//! which spec §5.5 fixes) and compares it with an insta snapshot. Random bytes (ids,
//! keys, ciphertexts) are not in the transcript. After every step that changes an
//! epoch, every member at that epoch must agree on `exportSecret`.

#[path = "webapi/support.rs"]
mod support;

use mls_webapi::webapi::{GroupView, Mls, MlsBytes, ObjectType, Received, epoch_of};
use support::{Origin, origin, stored_origin};

/// The transcript of an example, and the names of the client ids seen so far.
struct Transcript {
    lines: Vec<String>,
    names: Vec<(Vec<u8>, String)>,
}

impl Transcript {
    fn new() -> Self {
        Transcript {
            lines: Vec::new(),
            names: Vec::new(),
        }
    }

    fn line(&mut self, text: String) {
        self.lines.push(text);
    }

    /// Records `bytes` produced by the step `step`: its type and length.
    fn bytes(&mut self, step: &str, b: &MlsBytes) {
        self.line(format!("{step}: {} ({} bytes)", b.kind, b.content.len()));
    }

    /// A new identity, named for the transcript.
    fn identity(&mut self, step: &str, mls: &Mls, name: &str) -> MlsBytes {
        let id = mls.generate_identity().unwrap();
        assert_eq!(id.content.len(), 32);
        self.names.push((id.content.clone(), name.to_owned()));
        self.bytes(step, &id);
        id
    }

    fn name_of(&self, client_id: &[u8]) -> String {
        self.names
            .iter()
            .find(|(id, _)| id == client_id)
            .map_or_else(|| "?".to_owned(), |(_, name)| name.clone())
    }

    /// Records what `receive` resolved with.
    fn received(&mut self, step: &str, r: &Received) {
        let what = match r.kind {
            ObjectType::CommitProcessed => {
                let epoch = epoch_of(r.group_epoch.as_ref().unwrap()).unwrap();
                match epoch {
                    u64::MAX => "epoch ff×8 (removed)".to_owned(),
                    e => format!("epoch {e}"),
                }
            }
            ObjectType::ApplicationMessagePlaintext => {
                format!("{:?}", String::from_utf8_lossy(r.content.as_ref().unwrap()))
            }
            ObjectType::CommitOutput => {
                let out = r.commit_output.as_ref().unwrap();
                format!(
                    "commit {} bytes, welcome {}",
                    out.commit.len(),
                    out.welcome
                        .as_ref()
                        .map_or("none".to_owned(), |w| format!("{} bytes", w.len()))
                )
            }
            other => format!("unexpected {other}"),
        };
        self.line(format!("{step}: {} {what}", r.kind));
    }

    /// Records a view's details: epoch and members in leaf order with their credential.
    fn details(&mut self, step: &str, view: &GroupView) {
        let d = view.details().unwrap();
        assert_eq!(d.kind, ObjectType::GroupInfo);
        assert_eq!(d.group_id, view.group_id());
        let members: Vec<String> = d
            .members
            .iter()
            .map(|m| {
                let name = self.name_of(&m.client_id);
                let credential = String::from_utf8_lossy(&m.credential[3..]).into_owned();
                assert_eq!(m.credential[..3], [0, 1, credential.len() as u8]);
                format!("{name} ({credential:?})")
            })
            .collect();
        let epoch = epoch_of(&d.group_epoch).unwrap();
        self.line(format!(
            "{step}: {} epoch {epoch}, members [{}]",
            d.kind,
            members.join(", ")
        ));
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Every view agrees on `exportSecret("label", "context", 32)`, at the same epoch.
fn agree(views: &[&GroupView]) {
    let outputs: Vec<_> = views
        .iter()
        .map(|v| v.export_secret("label", b"context", 32).unwrap())
        .collect();
    for o in &outputs[1..] {
        assert_eq!(o.group_epoch, outputs[0].group_epoch);
        assert_eq!(
            o.secret, outputs[0].secret,
            "members disagree on the exporter"
        );
    }
}

/// The basic example's state: the views of Alice and Bob and their identities.
struct Basic {
    a: MlsBytes,
    b: MlsBytes,
    ga: GroupView,
    gb: GroupView,
}

/// The explainer's basic example, step by step.
fn basic(mls: &Mls, t: &mut Transcript) -> Basic {
    let a = t.identity("a = generateIdentity()", mls, "alice");
    let b = t.identity("b = generateIdentity()", mls, "bob");
    let ac = mls.generate_credential("alice").unwrap();
    t.bytes("ac = generateCredential(\"alice\")", &ac);
    assert_eq!(ac.content, b"\x00\x01\x05alice");
    let bc = mls.generate_credential("bob").unwrap();
    t.bytes("bc = generateCredential(\"bob\")", &bc);
    let akp = mls.generate_key_package(&a, &ac).unwrap();
    t.bytes("akp = generateKeyPackage(a, ac)", &akp);
    let bkp = mls.generate_key_package(&b, &bc).unwrap();
    t.bytes("bkp = generateKeyPackage(b, bc)", &bkp);

    let gb = mls.group_create(&b, &bc).unwrap();
    t.details("gb = groupCreate(b, bc)", &gb);
    let co1 = gb.add(&akp).unwrap();
    t.line(format!(
        "co1 = gb.add(akp): {} commit {} bytes, welcome {} bytes",
        co1.kind,
        co1.commit.len(),
        co1.welcome.as_ref().unwrap().len()
    ));
    let bgide1 = gb.receive(&co1.commit).unwrap();
    t.received("bgide1 = gb.receive(co1.commit)", &bgide1);
    let ctx1 = gb.send("Hello Alice!").unwrap();
    t.bytes("ctx1 = gb.send(\"Hello Alice!\")", &ctx1);

    let ga = mls.group_join(&a, co1.welcome.as_ref().unwrap()).unwrap();
    assert_eq!(ga.group_id(), gb.group_id());
    t.details("ga = groupJoin(a, co1.welcome)", &ga);
    let pt1 = ga.receive(&ctx1).unwrap();
    t.received("pt1 = ga.receive(ctx1)", &pt1);
    agree(&[&ga, &gb]);
    Basic { a, b, ga, gb }
}

fn run_basic(o: &Origin) -> String {
    let mut t = Transcript::new();
    basic(&o.mls, &mut t);
    t.text()
}

#[test]
fn the_basic_example_gives_the_expected_transcript() {
    insta::assert_snapshot!("basic", run_basic(&origin(1)));
}

/// The explainer's advanced example, after the basic one.
fn run_advanced(o: &Origin) -> String {
    let mls = &o.mls;
    let mut t = Transcript::new();
    let Basic { a, b, ga, gb } = basic(mls, &mut t);

    let c = t.identity("c = generateIdentity()", mls, "charlie");
    let cc = mls.generate_credential("charlie").unwrap();
    let ckp = mls.generate_key_package(&c, &cc).unwrap();
    t.bytes("ckp = generateKeyPackage(c, cc)", &ckp);

    let co2 = ga.add(&ckp).unwrap();
    t.line(format!(
        "co2 = ga.add(ckp): commit {} bytes, welcome {} bytes",
        co2.commit.len(),
        co2.welcome.as_ref().unwrap().len()
    ));
    t.received(
        "agide2 = ga.receive(co2.commit)",
        &ga.receive(&co2.commit).unwrap(),
    );
    t.received(
        "bgide2 = gb.receive(co2.commit)",
        &gb.receive(&co2.commit).unwrap(),
    );
    let gc = mls.group_join(&c, co2.welcome.as_ref().unwrap()).unwrap();
    t.details("gc = groupJoin(c, co2.welcome)", &gc);
    agree(&[&ga, &gb, &gc]);
    let ctx2 = gc.send("Hi all").unwrap();
    t.bytes("ctx2 = gc.send(\"Hi all\")", &ctx2);
    t.received("apt2 = ga.receive(ctx2)", &ga.receive(&ctx2).unwrap());
    t.received("bpt2 = gb.receive(ctx2)", &gb.receive(&ctx2).unwrap());

    let co3 = gc.remove(&b).unwrap();
    assert!(co3.welcome.is_none());
    t.line(format!(
        "co3 = gc.remove(b): commit {} bytes",
        co3.commit.len()
    ));
    t.received(
        "agide3 = ga.receive(co3.commit)",
        &ga.receive(&co3.commit).unwrap(),
    );
    t.received(
        "bgide3 = gb.receive(co3.commit)",
        &gb.receive(&co3.commit).unwrap(),
    );
    t.received(
        "cgide3 = gc.receive(co3.commit)",
        &gc.receive(&co3.commit).unwrap(),
    );
    assert!(mls.group_get(gb.group_id(), &b).unwrap().is_none());
    agree(&[&ga, &gc]);

    let p4 = ga.propose_remove(&a).unwrap();
    t.bytes("p4 = ga.proposeRemove(a)", &p4);
    let co4 = gc.receive(&p4).unwrap();
    t.received("co4 = gc.receive(p4)", &co4);
    let commit4 = &co4.commit_output.as_ref().unwrap().commit;
    t.received(
        "agide4 = ga.receive(co4.commitOutput.commit)",
        &ga.receive(commit4).unwrap(),
    );
    t.received(
        "cgide4 = gc.receive(co4.commitOutput.commit)",
        &gc.receive(commit4).unwrap(),
    );
    t.details("gc.details()", &gc);

    let d = t.identity("d = generateIdentity()", mls, "delphine");
    let e = t.identity("e = generateIdentity()", mls, "ernest");
    let dc = mls.generate_credential("delphine").unwrap();
    let ec = mls.generate_credential("ernest").unwrap();
    let dkp = mls.generate_key_package(&d, &dc).unwrap();
    t.bytes("dkp = generateKeyPackage(d, dc)", &dkp);
    let ekp = mls.generate_key_package(&e, &ec).unwrap();
    t.bytes("ekp = generateKeyPackage(e, ec)", &ekp);

    let co5 = gc.add(&dkp).unwrap();
    t.line(format!(
        "co5 = gc.add(dkp): commit {} bytes, welcome {} bytes",
        co5.commit.len(),
        co5.welcome.as_ref().unwrap().len()
    ));
    t.received(
        "cgide5 = gc.receive(co5.commit)",
        &gc.receive(&co5.commit).unwrap(),
    );
    let gd = mls.group_join(&d, co5.welcome.as_ref().unwrap()).unwrap();
    t.details("gd = groupJoin(d, co5.welcome)", &gd);
    agree(&[&gc, &gd]);

    let p6 = gd.propose_add(&ekp).unwrap();
    t.bytes("p6 = gd.proposeAdd(ekp)", &p6);
    let rec6 = gc.receive(&p6).unwrap();
    t.received("rec6 = gc.receive(p6)", &rec6);
    let out6 = rec6.commit_output.as_ref().unwrap();
    t.received(
        "cgide6 = gc.receive(rec6.commitOutput.commit)",
        &gc.receive(&out6.commit).unwrap(),
    );
    t.received(
        "dgide6 = gd.receive(rec6.commitOutput.commit)",
        &gd.receive(&out6.commit).unwrap(),
    );
    let ge = mls.group_join(&e, out6.welcome.as_ref().unwrap()).unwrap();
    t.details("ge = groupJoin(e, rec6.commitOutput.welcome)", &ge);
    agree(&[&gc, &gd, &ge]);

    let context_bytes = [99, 111, 110, 116, 101, 120, 116];
    let exporter = ge.export_secret("label", &context_bytes, 32).unwrap();
    assert_eq!(exporter.context, b"context");
    t.line(format!(
        "exporterOutput = ge.exportSecret(\"label\", context_bytes, 32): {} epoch {}, label {:?}, context {:?}, secret {} bytes",
        exporter.kind,
        epoch_of(&exporter.group_epoch).unwrap(),
        String::from_utf8_lossy(&exporter.label),
        String::from_utf8_lossy(&exporter.context),
        exporter.secret.len()
    ));
    t.details("gc.details()", &gc);
    t.details("gd.details()", &gd);
    t.details("ge.details()", &ge);
    t.text()
}

#[test]
fn the_advanced_example_gives_the_expected_transcript() {
    insta::assert_snapshot!("advanced", run_advanced(&origin(2)));
}

/// The store keeps nothing in memory between calls: every call opens the origin's key
/// file and a new SQLite connection, reads the records it needs, and closes both at its
/// end (src/webapi/store, spec §9.3). So this run closes and reopens the store between
/// every step of the example, and must still give the in-memory run's transcript.
#[test]
fn the_advanced_example_gives_the_same_transcript_with_the_encrypted_store() {
    let dir = std::env::temp_dir().join(format!("mls-webapi-explainer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let stored = run_advanced(&stored_origin(&dir, 2));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(stored, run_advanced(&origin(2)));
}
