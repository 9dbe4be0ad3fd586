//! Sending application messages (RFC 9420 §15).
//!
//! Application data is always sent as a PrivateMessage (§6: "application messages MUST
//! be sent as PrivateMessage"), under the next generation of our application ratchet
//! (§9.1), padded as the group's configuration says (§15.1, §6.3.1).
//!
//! Receiving is [`Group::process`]: it decrypts messages of the current epoch and of the
//! retained past epochs, accepts generations out of order within the configured window
//! and deletes each key once used (§9.2, §15.3).

use crate::crypto::Random;
use crate::error::{Error, Result};
use crate::framing::{protect_private, sign_content};
use crate::messages::{Content, FramedContent, MlsMessage, Sender, WireFormat};

use super::state::Group;

impl Group {
    /// Encrypts `data` for the group (§15) with `authenticated_data` sent alongside,
    /// authenticated but not encrypted. Returns the message and the group to keep: the
    /// same epoch, with the generation used deleted from our ratchet, so that no key is
    /// used twice (§9.2).
    ///
    /// Fails with [`Error::Misuse`] while proposals of this epoch are pending (§12.4: "A
    /// group member that has observed one or more valid proposals within an epoch MUST
    /// send a Commit message before sending application data").
    pub fn encrypt_application(
        &self,
        data: &[u8],
        authenticated_data: &[u8],
        rng: &mut dyn Random,
    ) -> Result<(MlsMessage, Group)> {
        if !self.proposals.is_empty() {
            return Err(Error::Misuse(
                "RFC 9420 §12.4: commit the pending proposals before sending application data",
            ));
        }
        let framed = FramedContent {
            group_id: self.context.group_id.clone(),
            epoch: self.context.epoch,
            sender: Sender::Member(self.own_leaf),
            authenticated_data: authenticated_data.to_vec(),
            content: Content::Application(data.to_vec()),
        };
        let signed = sign_content(
            &self.suite,
            WireFormat::MLS_PRIVATE_MESSAGE,
            framed,
            &self.context,
            &self.signer,
        )?;
        let mut after = self.clone();
        let message = protect_private(
            &self.suite,
            &signed,
            &mut after.secret_tree,
            &self.secrets.sender_data_secret,
            self.config.padding,
            rng,
        )?;
        Ok((MlsMessage::PrivateMessage(message), after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SeededRandom;
    use crate::group::create::tests::{NOW, group_of};
    use crate::group::{GroupConfig, Processed, no_psks};
    use crate::tree_math::LeafIndex;

    #[test]
    fn application_data_waits_until_pending_proposals_are_committed() {
        let mut rng = SeededRandom::new(1);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let sent = views[0]
            .propose_remove(LeafIndex(1), b"", &mut rng)
            .unwrap();
        let (_, receiver) = views[1].process(&sent.message, &no_psks, &NOW).unwrap();
        for group in [&sent.group, &receiver] {
            let e = group.encrypt_application(b"hi", b"", &mut rng).unwrap_err();
            assert!(matches!(e, Error::Misuse(_)));
        }
    }

    #[test]
    fn each_message_takes_a_new_generation_and_is_padded_to_32_bytes() {
        let mut rng = SeededRandom::new(2);
        let views = group_of(2, GroupConfig::default(), &mut rng);
        let (first, sender) = views[0].encrypt_application(b"one", b"", &mut rng).unwrap();
        let (second, _) = sender.encrypt_application(b"two", b"", &mut rng).unwrap();
        let mut reader = views[1].clone();
        for (message, text) in [(&first, b"one"), (&second, b"two")] {
            let MlsMessage::PrivateMessage(m) = message else {
                panic!("not a PrivateMessage");
            };
            // AES-128-GCM adds a 16-byte tag to the padded plaintext.
            assert_eq!((m.ciphertext.len() - 16) % 32, 0);
            let (processed, next) = reader.process(message, &no_psks, &NOW).unwrap();
            let Processed::Application(app) = processed else {
                panic!("not application data");
            };
            assert_eq!((app.sender, app.data.as_slice()), (LeafIndex(0), &text[..]));
            reader = next;
        }
        // The sender itself holds no key to read its own message again.
        assert!(sender.process(&first, &no_psks, &NOW).is_err());
    }
}
