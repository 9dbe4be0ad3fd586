// The Web API for Messaging Layer Security, as mls-webapi specifies and implements it.
//
// This is the current shape of the interfaces of Mozilla's explainer and of the newer
// Firefox builds (getGroupEpochFromMessage and the pending-state members included). The
// normative behaviour of every member is in mls-webapi.md, section by section under the
// member's name; where this file and Firefox's IDL differ, mls-webapi.md says why under
// "Differences from Firefox".

enum MLSObjectType {
  "group-epoch",
  "group-identifier",
  "group-info",
  "client-identifier",
  "credential-basic",
  "key-package",
  "proposal",
  "commit-output",
  "commit-processed",
  "welcome",
  "exporter-output",
  "exporter-label",
  "exporter-context",
  "application-message-ciphertext",
  "application-message-plaintext",
};

dictionary MLSBytes {
  required MLSObjectType type;
  required Uint8Array content;
};

dictionary MLSGroupMember {
  required Uint8Array clientId;
  required Uint8Array credential;
};

dictionary MLSGroupDetails {
  required MLSObjectType type;          // "group-info" (kept for compatibility; see spec)
  required Uint8Array groupId;
  required Uint8Array groupEpoch;       // 8 bytes, unsigned little-endian
  required sequence<MLSGroupMember> members;
};

dictionary MLSCommitOutput {
  required MLSObjectType type;          // "commit-output"
  required Uint8Array groupId;
  required Uint8Array commit;           // MLSMessage (PublicMessage)
  Uint8Array welcome;                   // MLSMessage (Welcome), present iff members were added
  Uint8Array groupInfo;                 // never present in this version
  Uint8Array ratchetTree;               // never present in this version
  Uint8Array clientId;                  // never present in this version
};

dictionary MLSExporterOutput {
  required MLSObjectType type;          // "exporter-output"
  required Uint8Array groupId;
  required Uint8Array groupEpoch;
  required Uint8Array label;
  required Uint8Array context;
  required Uint8Array secret;
};

dictionary MLSReceived {
  required MLSObjectType type;          // "application-message-plaintext",
                                        // "commit-processed" or "commit-output"
  required Uint8Array groupId;
  Uint8Array groupEpoch;
  Uint8Array content;
  MLSCommitOutput commitOutput;
};

typedef MLSBytes MLSClientId;
typedef MLSBytes MLSGroupId;
typedef MLSBytes MLSGroupEpoch;
typedef MLSBytes MLSCredential;
typedef MLSBytes MLSKeyPackage;
typedef MLSBytes MLSProposal;
typedef (MLSBytes or Uint8Array) MLSBytesOrUint8Array;
typedef (Uint8Array or UTF8String) Uint8ArrayOrUTF8String;
typedef (MLSBytes or Uint8Array or UTF8String) MLSBytesOrUint8ArrayOrUTF8String;

[SecureContext, Exposed=(Window,Worker)]
interface MLS {
  constructor();

  Promise<undefined> deleteState();

  Promise<MLSClientId> generateIdentity();
  Promise<MLSCredential> generateCredential(Uint8ArrayOrUTF8String credentialContent);
  Promise<MLSKeyPackage> generateKeyPackage(MLSBytesOrUint8Array clientId,
                                            MLSBytesOrUint8Array credential);

  Promise<MLSGroupView> groupCreate(MLSBytesOrUint8Array clientId,
                                    MLSBytesOrUint8Array credential);
  Promise<MLSGroupView?> groupGet(MLSBytesOrUint8Array groupId,
                                  MLSBytesOrUint8Array clientId);
  Promise<MLSGroupView> groupJoin(MLSBytesOrUint8Array clientId,
                                  MLSBytesOrUint8Array welcome);

  Promise<MLSGroupId> getGroupIdFromMessage(MLSBytesOrUint8Array message);
  Promise<MLSGroupEpoch> getGroupEpochFromMessage(MLSBytesOrUint8Array message);
};

[SecureContext, Exposed=(Window,Worker)]
interface MLSGroupView {
  readonly attribute Uint8Array groupId;
  readonly attribute Uint8Array clientId;

  Promise<undefined> deleteState();

  Promise<MLSCommitOutput> add(MLSBytesOrUint8Array keyPackage);
  Promise<MLSProposal> proposeAdd(MLSBytesOrUint8Array keyPackage);
  Promise<MLSCommitOutput> remove(MLSBytesOrUint8Array remClientId);
  Promise<MLSProposal> proposeRemove(MLSBytesOrUint8Array remClientId);
  Promise<MLSCommitOutput> close();

  Promise<MLSGroupDetails> details();

  Promise<MLSBytes> send(MLSBytesOrUint8ArrayOrUTF8String message);
  Promise<MLSReceived> receive(MLSBytesOrUint8Array message);

  Promise<boolean> hasPendingProposals();
  Promise<boolean> clearPendingProposals();
  Promise<boolean> hasPendingCommit();
  Promise<boolean> clearPendingCommit();
  Promise<MLSReceived> applyPendingCommit();

  Promise<MLSExporterOutput> exportSecret(MLSBytesOrUint8ArrayOrUTF8String label,
                                          MLSBytesOrUint8Array context,
                                          unsigned long long length);
};
