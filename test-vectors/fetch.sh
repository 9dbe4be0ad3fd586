#!/usr/bin/env bash
# Downloads the 16 RFC 9420 test vector files of mlswg/mls-implementations, pinned to one
# commit, into test-vectors/rfc9420/ (git-ignored) and checks their SHA-256 sums.
#
#   test-vectors/fetch.sh            # into test-vectors/rfc9420/
#   test-vectors/fetch.sh DIR        # into DIR
#
# Files already present with the right sum are kept. Nothing is moved into place unless
# every download matches its pinned sum. MLS_VECTORS_BASE_URL overrides where the files
# are fetched from (for a mirror; curl also accepts file:// URLs).
set -euo pipefail

COMMIT=cfd450286d1bfd9cd2519b95c80f9771f94a5b1a
BASE_URL="${MLS_VECTORS_BASE_URL:-https://raw.githubusercontent.com/mlswg/mls-implementations/${COMMIT}/test-vectors}"

# SHA-256 of each file at that commit (also in test-vectors/README.md).
SUMS="$(cat <<'SHA256SUMS'
17cfcf89af9f51d0f2aa7af77f6f9ec99376a039214b6d42a6f11646b83e8c29  crypto-basics.json
1e394706e79f77df71454e5970f2aa736d4ab8b6c7e3219dd5609992388a953e  deserialization.json
05aa9a68bd2538ace72d8c53375984cc728ef62220ebf314df675708546d97a7  key-schedule.json
f7c1ae62ce63c3003e526d539c99f2b1444f65ee0a487d3a5667d46867526c45  message-protection.json
b194abe1561995223482dbad51c180146920dc2f637e74d01e07a388308791fb  messages.json
b24949fdf857bf79d511f57504a8bdc7ce3247eb199684745e439c11b1a1da21  passive-client-handling-commit.json
0095d863e9d316872e237fc708debcd20ba2687ee905a3e831f97dd3e578d3c1  passive-client-random.json
92ebb04b67b1aca4290965ae363650921842ceebe275bd79a2733414078d849c  passive-client-welcome.json
2b534969dba0b65a04b7d790496af5c0ccdb472b3fc4ca25c8c82df3e8523784  psk_secret.json
08f92e6272452e2c832e32d38e16cf0c4aa28967e47d3842c60bc354c6b67a94  secret-tree.json
58046b58fbd98519b4e60953a105f550e4b427e2b140ea67dedcb751260eecb8  transcript-hashes.json
27f04891f56106593b74b674445f01b845e173953770c084deb2f8cf5592e2fc  tree-math.json
9a25f8720714d1256ba2dad8d83a660ba0bae0d33ed15c682b9d74a5d67aad0a  tree-operations.json
b66a432d93b520623f0640835ed43b9dfc95e116b8be081d81581d7c11e67a37  tree-validation.json
d8bbdf78394797f21db7476fd286af6830ebcb18d2e3b2c839fecd4eb11056f8  treekem.json
06be9d5c99817ef2545e4b15b8e73fd9b604685a8e55b59ca168eda98e236502  welcome.json
SHA256SUMS
)"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/rfc9420}"

command -v curl >/dev/null || { echo "fetch.sh: curl is needed" >&2; exit 1; }
if command -v sha256sum >/dev/null; then
    check() { sha256sum -c "$@"; }
elif command -v shasum >/dev/null; then
    check() { shasum -a 256 -c "$@"; }
else
    echo "fetch.sh: sha256sum (or shasum) is needed" >&2
    exit 1
fi

mkdir -p "$dest"
tmp="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

fetched=""
while read -r sum file; do
    line="$sum  $file"
    if [[ -f "$dest/$file" ]] && (cd "$dest" && printf '%s\n' "$line" | check --status -); then
        continue
    fi
    echo "fetching $file"
    curl --fail --silent --show-error --location --retry 3 -o "$tmp/$file" "$BASE_URL/$file"
    fetched+="$line"$'\n'
done <<<"$SUMS"

if [[ -n "$fetched" ]]; then
    # Check every download before any of them replaces a file in $dest.
    (cd "$tmp" && printf '%s' "$fetched" | check --quiet -)
    mv -f "$tmp"/*.json "$dest"/
fi

(cd "$dest" && printf '%s\n' "$SUMS" | check --quiet -)
echo "all 16 test vector files are in $dest with the pinned SHA-256 sums (commit $COMMIT)"
