//! What each engine can be asked to do, so that `explore` generates for its clients only
//! the steps they express.
//!
//! Every engine speaks the whole script language except the Web API (`webapi`), which
//! adds and removes by value, proposes adds and removes by reference and commits them,
//! and sends application messages, but has no external join, no PSK, no self-update
//! proposal, no choice of the path, no tree out of band and no competing commits; it adds
//! or removes one member by value per commit, and it commits cached proposals only as the
//! commit it made when it received the latest of them (spec §4.6), never its own proposal
//! alone and never an empty commit. A
//! group explores what all of its engines can do: every member processes every
//! handshake message, whoever sends it.

/// What an engine can be asked to do beyond adds, removes, proposals by reference,
/// commits and application messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Joining by external commit (RFC 9420 §12.4.3.2).
    pub external_join: bool,
    /// External PSKs and PreSharedKey proposals (RFC 9420 §8.4).
    pub psk: bool,
    /// Update proposals for one's own leaf (RFC 9420 §12.1.2).
    pub self_update: bool,
    /// Choosing whether a commit carries a path (RFC 9420 §12.4).
    pub path_choice: bool,
    /// Handing the ratchet tree out of band (RFC 9420 §12.4.3.3).
    pub out_of_band_tree: bool,
    /// Several members committing in one epoch, the losers dropping theirs.
    pub competing_commits: bool,
    /// Adding or removing several members by value in one commit.
    pub several_by_value: bool,
    /// Committing without having received a proposal since its own last proposal, commit
    /// or epoch change: an empty commit, or one of its own proposals only. Without it a
    /// member commits the pending proposals only while it holds the commit it made on
    /// receiving the latest of them.
    pub commit_any_time: bool,
}

impl Capabilities {
    /// Everything the script language has.
    pub const FULL: Capabilities = Capabilities {
        external_join: true,
        psk: true,
        self_update: true,
        path_choice: true,
        out_of_band_tree: true,
        competing_commits: true,
        several_by_value: true,
        commit_any_time: true,
    };

    /// What the Web API expresses.
    pub const WEB_API: Capabilities = Capabilities {
        external_join: false,
        psk: false,
        self_update: false,
        path_choice: false,
        out_of_band_tree: false,
        competing_commits: false,
        several_by_value: false,
        commit_any_time: false,
    };

    /// The capabilities of the engine registered as `engine`.
    pub fn of(engine: &str) -> Capabilities {
        match engine {
            "webapi" => Capabilities::WEB_API,
            _ => Capabilities::FULL,
        }
    }

    /// What every one of `engines` can do.
    pub fn of_all<'a>(engines: impl IntoIterator<Item = &'a str>) -> Capabilities {
        engines
            .into_iter()
            .map(Capabilities::of)
            .fold(Capabilities::FULL, |all, one| Capabilities {
                external_join: all.external_join && one.external_join,
                psk: all.psk && one.psk,
                self_update: all.self_update && one.self_update,
                path_choice: all.path_choice && one.path_choice,
                out_of_band_tree: all.out_of_band_tree && one.out_of_band_tree,
                competing_commits: all.competing_commits && one.competing_commits,
                several_by_value: all.several_by_value && one.several_by_value,
                commit_any_time: all.commit_any_time && one.commit_any_time,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_web_api_restricts_any_group_it_is_in() {
        assert_eq!(Capabilities::of("openmls"), Capabilities::FULL);
        assert_eq!(Capabilities::of_all(["ours", "mls-rs"]), Capabilities::FULL);
        assert_eq!(
            Capabilities::of_all(["ours", "webapi", "mls-rs"]),
            Capabilities::WEB_API
        );
    }
}
