//! What a generated struct keeps besides its typed fields: keys no spec names, and which fields
//! arrived as one of WHMCS's "nothing" forms.

use serde_json::{Map, Value};

use super::Empty;

/// What a generated struct keeps besides its typed fields: the keys no spec names (a JSON map,
/// which this derefs to), and which typed fields arrived as one of the [`Empty`] forms, so
/// nothing WHMCS sent is lost when the struct is written back. Small when there is nothing to
/// keep: the map is allocated only for keys that need it.
#[derive(Clone, Default)]
pub struct Extra {
    map: Option<Box<Map<String, Value>>>,
    /// Three bits per field index, 21 to a word: 0 nothing noted, 1 to 6 the field arrived as
    /// that `Empty::ALL` form, 7 a field WHMCS always sends arrived with a value.
    empty: [u64; 3],
}

/// The code of a field that WHMCS always sends and that arrived with a value.
const PRESENT: u64 = 7;

/// Only the keys: which fields arrived empty is an encoding detail.
impl std::fmt::Debug for Extra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Fields past this index keep their empty form in the map instead.
const PACKED_FIELDS: usize = 63;

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.empty == other.empty && **self == **other
    }
}

impl Extra {
    /// Keys no spec names, and raw values of typed fields that could not be read.
    pub fn map(&self) -> &Map<String, Value> {
        self
    }

    /// Takes the map out.
    pub fn into_map(self) -> Map<String, Value> {
        self.map.map(|m| *m).unwrap_or_default()
    }

    fn code(&self, idx: usize) -> u64 {
        if idx >= PACKED_FIELDS {
            return 0;
        }
        (self.empty[idx / 21] >> ((idx % 21) * 3)) & 0b111
    }

    fn set_code(&mut self, idx: usize, code: u64) {
        let shift = (idx % 21) * 3;
        let word = &mut self.empty[idx / 21];
        *word = (*word & !(0b111 << shift)) | (code << shift);
    }

    /// How field number `idx` arrived empty, if it did.
    pub fn empty_at(&self, idx: usize) -> Option<Empty> {
        let code = usize::try_from(self.code(idx)).ok()?;
        code.checked_sub(1).and_then(|i| Empty::ALL.get(i).copied())
    }

    /// Whether field number `idx`, one WHMCS always sends, arrived with a value (fields past
    /// the 63rd are not tracked and count as present).
    pub fn is_present(&self, idx: usize) -> bool {
        idx >= PACKED_FIELDS || self.code(idx) == PRESENT
    }

    pub(crate) fn mark_present(&mut self, idx: usize) {
        if idx < PACKED_FIELDS {
            self.set_code(idx, PRESENT);
        }
    }

    pub(crate) fn mark(&mut self, idx: usize, key: &str, e: Empty) {
        if idx >= PACKED_FIELDS {
            self.insert(key.to_owned(), e.to_value());
            return;
        }
        let code = Empty::ALL
            .iter()
            .position(|x| *x == e)
            .map_or(0, |p| p as u64 + 1);
        self.set_code(idx, code);
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            map: (!map.is_empty()).then(|| Box::new(map)),
            empty: [0; 3],
        }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

/// The map of a struct that has none.
fn no_keys() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

impl std::ops::Deref for Extra {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        match self.map.as_deref() {
            Some(map) => map,
            None => no_keys(),
        }
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.map.get_or_insert_with(Box::default)
    }
}
