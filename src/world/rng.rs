//! The world's seeded random source: generated names, uids and IPs come from here, so a world
//! replayed from the same seed produces the same names.

use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, fast, and its whole state is one number that fits in the save file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

/// The alphabet Kubernetes uses for generated name suffixes (`k8s.io/apimachinery/pkg/util/rand`):
/// consonants and digits without look-alikes, so suffixes never spell words.
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A random string of `len` characters from Kubernetes' name-suffix alphabet.
    pub fn name_suffix(&mut self, len: usize) -> String {
        (0..len).map(|_| SUFFIX_ALPHABET[self.below(SUFFIX_ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// A random version-4 UUID in its canonical text form.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let hex = format!("{a:016x}{b:016x}");
        let variant = ['8', '9', 'a', 'b'][(b >> 60) as usize & 3];
        format!("{}-{}-4{}-{}{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], variant, &hex[17..20], &hex[20..32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.name_suffix(5), b.name_suffix(5));
        assert_eq!(a.uuid(), b.uuid());
        let mut c = Rng::new(8);
        assert_ne!(Rng::new(7).uuid(), c.uuid());
    }

    #[test]
    fn uuid_has_canonical_shape() {
        let u = Rng::new(1).uuid();
        let parts: Vec<_> = u.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&u[14..15], "4");
    }
}
