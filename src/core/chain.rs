//! The tamper-evidence chain as pure functions: canonical row encoding, link hashes, Ed25519 seals, key fingerprints. No SQL, no files.
//!
//! A sealed row is hashed from its columns in a fixed order (`row_hash`). Each ledger link holds
//! that row hash, the previous link's hash and the signer's public key, hashed together
//! (`link_hash`) and signed by the signer (`sign`). Changing a row changes its row hash; changing a
//! link breaks the next link or its signature; re-hashing everything still needs the secret key.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One column value, as SQLite stores it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Field<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads lower-case hex, the only form this app writes; `None` for anything else, so that one
/// value has one spelling.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .filter(|pair| pair.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// The hash of one row's content: the kind, then every column tagged with its type and length,
/// so that no two different rows encode alike.
pub fn row_hash(kind: &str, fields: &[Field<'_>]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"judgedesk/row/v1\n");
    hasher.update(kind.as_bytes());
    hasher.update(b"\n");
    for field in fields {
        let (tag, bytes): (u8, Vec<u8>) = match field {
            Field::Null => (b'n', Vec::new()),
            Field::Int(v) => (b'i', v.to_be_bytes().to_vec()),
            Field::Real(v) => (b'r', v.to_bits().to_be_bytes().to_vec()),
            Field::Text(t) => (b't', t.as_bytes().to_vec()),
            Field::Blob(b) => (b'b', b.to_vec()),
        };
        hasher.update([tag]);
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(&bytes);
    }
    to_hex(&hasher.finalize())
}

/// The hash of one link: what it seals, what came before, and who sealed it.
pub fn link_hash(prev_hash: &str, kind: &str, row_id: i64, row_hash: &str, signer: &str) -> String {
    let text = format!("judgedesk/link/v1\n{prev_hash}\n{kind}\n{row_id}\n{row_hash}\n{signer}");
    sha256_hex(text.as_bytes())
}

fn seal_message(hash: &str) -> Vec<u8> {
    format!("judgedesk/seal/v1:{hash}").into_bytes()
}

/// The public key of `key`, in hex (64 digits).
pub fn public_hex(key: &SigningKey) -> String {
    to_hex(key.verifying_key().as_bytes())
}

/// Signs a link hash (or any hex digest); the signature in hex.
pub fn sign(key: &SigningKey, hash: &str) -> String {
    to_hex(&key.sign(&seal_message(hash)).to_bytes())
}

/// Whether `signature` is `signer`'s signature of `hash`. Malformed input is simply false.
pub fn verify(signer: &str, hash: &str, signature: &str) -> bool {
    let Some(key) = parse_public_key(signer) else {
        return false;
    };
    let Some(bytes) = from_hex(signature).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify(&seal_message(hash), &Signature::from_bytes(&bytes))
        .is_ok()
}

/// A public key typed or pasted by a person: 64 hex digits, spaces, dashes and colons ignored.
/// Returns the normalised hex and the key; `None` if it is not a valid Ed25519 public key.
pub fn normalise_public_key(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    parse_public_key(&hex).map(|_| hex)
}

fn parse_public_key(hex: &str) -> Option<VerifyingKey> {
    let bytes = from_hex(hex).and_then(|b| <[u8; 32]>::try_from(b).ok())?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// A short name for a public key that people can read aloud and compare: `3f2a-9c01-77be-d410`.
pub fn fingerprint(public_key_hex: &str) -> String {
    let digest = sha256_hex(public_key_hex.as_bytes());
    let short = digest.get(..16).unwrap_or(&digest);
    short
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join("-")
}

/// One ledger link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub seq: i64,
    pub kind: String,
    pub row_id: i64,
    pub row_hash: String,
    pub prev_hash: String,
    pub hash: String,
    pub signer: String,
    pub signature: String,
}

/// What is wrong with one link by itself or with its predecessor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkFault {
    /// `prev_hash` is not the hash of the link before: a link was removed, inserted or rewritten.
    Broken,
    /// `hash` does not match the link's own content.
    HashMismatch,
    /// The signature does not verify with the stated signer.
    BadSignature,
}

/// Checks every link against its predecessor, its content and its signature.
/// Returns the faulty links by index into `links`; trust in the signers is the caller's question.
pub fn check_links(links: &[Link]) -> Vec<(usize, LinkFault)> {
    let mut faults = Vec::new();
    let mut prev = GENESIS.to_string();
    for (index, link) in links.iter().enumerate() {
        if link.prev_hash != prev {
            faults.push((index, LinkFault::Broken));
        }
        let expected = link_hash(
            &link.prev_hash,
            &link.kind,
            link.row_id,
            &link.row_hash,
            &link.signer,
        );
        if expected != link.hash {
            faults.push((index, LinkFault::HashMismatch));
        } else if !verify(&link.signer, &link.hash, &link.signature) {
            faults.push((index, LinkFault::BadSignature));
        }
        prev = link.hash.clone();
    }
    faults
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn chain(key: &SigningKey, rows: &[(&str, i64, &str)]) -> Vec<Link> {
        let signer = public_hex(key);
        let mut prev = GENESIS.to_string();
        let mut links = Vec::new();
        for (seq, (kind, row_id, content)) in rows.iter().enumerate() {
            let row_hash = row_hash(kind, &[Field::Int(*row_id), Field::Text(content)]);
            let hash = link_hash(&prev, kind, *row_id, &row_hash, &signer);
            let signature = sign(key, &hash);
            links.push(Link {
                seq: seq as i64 + 1,
                kind: kind.to_string(),
                row_id: *row_id,
                row_hash,
                prev_hash: prev,
                hash: hash.clone(),
                signer: signer.clone(),
                signature,
            });
            prev = hash;
        }
        links
    }

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        assert_eq!(
            from_hex(&to_hex(&[0, 1, 254, 255])),
            Some(vec![0, 1, 254, 255])
        );
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("AB"), None);
        assert_eq!(from_hex("+1"), None);
        assert_eq!(from_hex("é1"), None);
    }

    #[test]
    fn row_encoding_separates_types_and_boundaries() {
        let a = row_hash("score", &[Field::Text("ab"), Field::Text("c")]);
        let b = row_hash("score", &[Field::Text("a"), Field::Text("bc")]);
        let c = row_hash("score", &[Field::Int(12)]);
        let d = row_hash("score", &[Field::Text("12")]);
        let e = row_hash("audit", &[Field::Int(12)]);
        let f = row_hash("score", &[Field::Null]);
        assert_eq!(a, row_hash("score", &[Field::Text("ab"), Field::Text("c")]));
        let all = [a, b, c, d, e, f];
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(all[i], all[j], "{i} vs {j}");
            }
        }
    }

    #[test]
    fn an_intact_chain_has_no_faults() {
        let links = chain(
            &key(1),
            &[("score", 1, "80"), ("audit", 1, "x"), ("score", 2, "75")],
        );
        assert_eq!(check_links(&links), vec![]);
    }

    #[test]
    fn a_removed_link_breaks_the_next() {
        let mut links = chain(
            &key(1),
            &[("score", 1, "80"), ("score", 2, "81"), ("score", 3, "82")],
        );
        links.remove(1);
        assert_eq!(check_links(&links), vec![(1, LinkFault::Broken)]);
    }

    #[test]
    fn a_rehashed_link_without_the_key_fails_its_signature() {
        let mut links = chain(&key(1), &[("score", 1, "80"), ("score", 2, "81")]);
        let forged = row_hash("score", &[Field::Int(1), Field::Text("99")]);
        links[0].row_hash = forged.clone();
        assert_eq!(check_links(&links), vec![(0, LinkFault::HashMismatch)]);
        links[0].hash = link_hash(GENESIS, "score", 1, &forged, &links[0].signer);
        links[1].prev_hash = links[0].hash.clone();
        links[1].hash = link_hash(
            &links[1].prev_hash,
            "score",
            2,
            &links[1].row_hash,
            &links[1].signer,
        );
        assert_eq!(
            check_links(&links),
            vec![(0, LinkFault::BadSignature), (1, LinkFault::BadSignature)]
        );
    }

    #[test]
    fn signatures_bind_signer_and_hash() {
        let k = key(7);
        let hash = sha256_hex(b"x");
        let sig = sign(&k, &hash);
        assert!(verify(&public_hex(&k), &hash, &sig));
        assert!(!verify(&public_hex(&key(8)), &hash, &sig));
        assert!(!verify(&public_hex(&k), &sha256_hex(b"y"), &sig));
        assert!(!verify("not a key", &hash, &sig));
        assert!(!verify(&public_hex(&k), &hash, "00"));
    }

    #[test]
    fn pasted_keys_are_normalised() {
        let hex = public_hex(&key(3));
        let spaced: String = hex
            .to_ascii_uppercase()
            .as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).to_string())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(normalise_public_key(&spaced), Some(hex.clone()));
        assert_eq!(normalise_public_key(&hex[..62]), None);
        assert_eq!(fingerprint(&hex).len(), 19);
    }
}
