//! The bundle's secrets, sealed with a passphrase: an `age` file (scrypt passphrase recipient,
//! ASCII-armoured) holding the JSON of [`Secrets`]. Nothing here is home-made cryptography:
//! `age` derives the key, encrypts and authenticates, so a wrong passphrase, a changed byte or
//! a part cut short is refused whole.

use std::io::Read;

use age::secrecy::SecretString as AgeSecret;
use zeroize::Zeroizing;

use super::{BundleError, Secrets};
use crate::sensitive::SecretString;

/// scrypt's work factor for sealing: 2^18, as `age` itself uses for people's passphrases
/// (a fraction of a second here, 256 MiB of memory).
const WORK_FACTOR: u8 = 18;
/// The largest work factor accepted when opening: 2^20 (1 GiB of memory), so that a hostile
/// bundle cannot ask for hours of work or all the memory there is.
const MAX_WORK_FACTOR: u8 = 20;

/// Encrypts `secrets` with `passphrase`; the result is ASCII armour.
pub fn seal(secrets: &Secrets, passphrase: &SecretString) -> Result<String, BundleError> {
    if passphrase.is_empty() {
        return Err(BundleError::EmptyPassphrase);
    }
    let plain = Zeroizing::new(plain_json(secrets));
    let mut recipient =
        age::scrypt::Recipient::new(AgeSecret::from(passphrase.expose().to_owned()));
    recipient.set_work_factor(WORK_FACTOR);
    age::encrypt_and_armor(&recipient, plain.as_bytes())
        .map_err(|e| BundleError::Sealing(e.to_string()))
}

/// Decrypts what [`seal`] wrote.
pub fn open(armored: &str, passphrase: &SecretString) -> Result<Secrets, BundleError> {
    let mut identity = age::scrypt::Identity::new(AgeSecret::from(passphrase.expose().to_owned()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let reader = age::armor::ArmoredReader::new(armored.as_bytes());
    let decryptor = age::Decryptor::new_buffered(reader).map_err(damaged)?;
    let mut stream = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(damaged)?;
    let mut plain = Zeroizing::new(Vec::new());
    stream
        .read_to_end(&mut plain)
        .map_err(|e| BundleError::SecretsDamaged(e.to_string()))?;
    // The reader's own words could quote what was decrypted: they are not passed on.
    let read: PlainSecrets = serde_json::from_slice(&plain).map_err(|_| {
        BundleError::SecretsDamaged("what they hold is not a list of secrets".to_owned())
    })?;
    Ok(read.into_secrets())
}

fn damaged(e: age::DecryptError) -> BundleError {
    match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            BundleError::WrongPassphrase
        }
        age::DecryptError::NoMatchingKeys => {
            BundleError::SecretsDamaged("they were not encrypted with a passphrase".to_owned())
        }
        age::DecryptError::ExcessiveWork { .. } => BundleError::SecretsDamaged(
            "they ask for more work to open than SSO Console allows".to_owned(),
        ),
        other => BundleError::SecretsDamaged(other.to_string()),
    }
}

/// The secrets as JSON text, only ever inside the sealed part.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct PlainSecrets {
    #[serde(default)]
    directories: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    scim_connections: std::collections::BTreeMap<String, String>,
}

impl Drop for PlainSecrets {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for value in self
            .directories
            .values_mut()
            .chain(self.scim_connections.values_mut())
        {
            value.zeroize();
        }
    }
}

impl PlainSecrets {
    fn into_secrets(mut self) -> Secrets {
        let take = |map: &mut std::collections::BTreeMap<String, String>| {
            std::mem::take(map)
                .into_iter()
                .map(|(id, value)| (id, SecretString::new(value)))
                .collect()
        };
        Secrets {
            directories: take(&mut self.directories),
            scim_connections: take(&mut self.scim_connections),
        }
    }
}

fn plain_json(secrets: &Secrets) -> String {
    let exposed = |map: &std::collections::BTreeMap<String, SecretString>| {
        map.iter()
            .map(|(id, s)| (id.clone(), s.expose().to_owned()))
            .collect()
    };
    let plain = PlainSecrets {
        directories: exposed(&secrets.directories),
        scim_connections: exposed(&secrets.scim_connections),
    };
    serde_json::to_string(&plain).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        let mut s = Secrets::default();
        s.directories
            .insert("d1".into(), SecretString::new("client-secret-1"));
        s.scim_connections
            .insert("c1".into(), SecretString::new("bearer-token-1"));
        s
    }

    #[test]
    fn sealed_secrets_open_with_the_passphrase_only() {
        let pass = SecretString::new("correct horse");
        let armored = seal(&secrets(), &pass).unwrap();
        assert!(
            armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
            "{armored}"
        );
        assert!(!armored.contains("client-secret-1") && !armored.contains("bearer-token-1"));
        let opened = open(&armored, &pass).unwrap();
        assert_eq!(opened.directories["d1"].expose(), "client-secret-1");
        assert_eq!(opened.scim_connections["c1"].expose(), "bearer-token-1");

        let wrong = open(&armored, &SecretString::new("wrong horse")).unwrap_err();
        assert!(matches!(wrong, BundleError::WrongPassphrase), "{wrong}");

        // A changed byte in the body and a part cut short are refused.
        let lines: Vec<&str> = armored.lines().collect();
        let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let body = changed.len() - 2;
        let flipped: String = changed[body]
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i == 3 {
                    if c == 'A' {
                        'B'
                    } else {
                        'A'
                    }
                } else {
                    c
                }
            })
            .collect();
        changed[body] = flipped;
        let changed = changed.join("\n");
        assert!(open(&changed, &pass).is_err());
        let cut = lines[..lines.len() - 2].join("\n");
        assert!(matches!(
            open(&cut, &pass),
            Err(BundleError::SecretsDamaged(_))
        ));
        assert!(matches!(
            seal(&secrets(), &SecretString::new("")),
            Err(BundleError::EmptyPassphrase)
        ));
    }
}
