//! Custom fields and configurable options: their definitions, which the catalogue keeps
//! (`catalogue.customfields`, `catalogue.configoptions`), and the reading of the values clients,
//! orders and services are given in the `customfields` and `configoptions` parameters.
//!
//! Both parameters are `base64_encode(serialize(array(id => value, …)))`. A client custom field
//! applies to every client; a product custom field (`type` `product`, `relid` the product) to
//! the services of that product. A configurable option is offered with the products it lists.
//!
//! Values for ids that are not defined (or not for that product) are dropped: what WHMCS does
//! with them is unverified (the reference does not say). A parameter that is not a serialized
//! array stores nothing either (also unverified; the reference documents no error for it).
//!
//! A fresh installation has client field 1 ("How did you hear about us?"), product 1's field 2
//! ("Website purpose"), both optional, and product 1's options 1 ("Disk Space (GB)", a quantity)
//! and 2 ("Location", a dropdown of choices 2 "London" and 3 "New York").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::Serialized;

use super::Table;
use super::codec::{PhpItem, php_entries};

/// What a custom field belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FieldOf {
    /// Every client account.
    #[default]
    Client,
    /// The services of one product (`relid`).
    Product,
}

/// A custom field definition (WHMCS's `tblcustomfields`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct CustomField {
    #[serde(rename = "type")]
    pub(crate) of: FieldOf,
    /// The product of a product field; 0 for a client field.
    pub(crate) relid: i64,
    pub(crate) name: String,
    pub(crate) description: String,
    /// AddClient refuses a client without a value for it (unless `skipvalidation`).
    pub(crate) required: bool,
}

/// How a configurable option is chosen (the numbers GetProducts answers).
pub(crate) const DROPDOWN: i64 = 1;
pub(crate) const RADIO: i64 = 2;
pub(crate) const YES_NO: i64 = 3;
pub(crate) const QUANTITY: i64 = 4;

/// A configurable option definition. Its prices are not modelled: choosing an option changes no
/// amount (a simplification of the mock, not WHMCS's behaviour).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ConfigOption {
    /// The products it is offered with.
    pub(crate) products: Vec<i64>,
    pub(crate) name: String,
    /// 1 dropdown, 2 radio, 3 yes/no, 4 quantity.
    #[serde(rename = "type")]
    pub(crate) kind: i64,
    pub(crate) minqty: i64,
    pub(crate) maxqty: i64,
    /// What can be chosen (a quantity or yes/no option has one).
    pub(crate) choices: Vec<Choice>,
}

/// One choice of a configurable option; its id is unique across all options.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Choice {
    pub(crate) id: i64,
    pub(crate) name: String,
}

impl ConfigOption {
    /// Whether the stored value is a choice id (dropdown, radio) rather than a number.
    pub(crate) fn holds_choice(&self) -> bool {
        matches!(self.kind, DROPDOWN | RADIO)
    }

    /// The value as GetClientsProducts shows it: the choice's name for a dropdown or radio
    /// option (as the reference's example shows a label), else the number itself (unverified).
    pub(crate) fn shown(&self, value: i64) -> String {
        self.holds_choice()
            .then(|| self.choices.iter().find(|c| c.id == value))
            .flatten()
            .map_or_else(|| value.to_string(), |c| c.name.clone())
    }
}

/// The fields a fresh installation has (see the module's documentation).
pub(crate) fn fresh_fields() -> Table<CustomField> {
    let mut t = Table::default();
    t.insert(CustomField {
        of: FieldOf::Client,
        relid: 0,
        name: "How did you hear about us?".into(),
        description: "Search engine, a friend, an advert…".into(),
        required: false,
    });
    t.insert(CustomField {
        of: FieldOf::Product,
        relid: 1,
        name: "Website purpose".into(),
        description: "What the site hosted on this account is for.".into(),
        required: false,
    });
    t
}

/// The options a fresh installation has (see the module's documentation).
pub(crate) fn fresh_options() -> Table<ConfigOption> {
    let mut t = Table::default();
    t.insert(ConfigOption {
        products: vec![1],
        name: "Disk Space (GB)".into(),
        kind: QUANTITY,
        minqty: 0,
        maxqty: 100,
        choices: vec![Choice {
            id: 1,
            name: "GB".into(),
        }],
    });
    t.insert(ConfigOption {
        products: vec![1],
        name: "Location".into(),
        kind: DROPDOWN,
        minqty: 0,
        maxqty: 0,
        choices: vec![
            Choice {
                id: 2,
                name: "London".into(),
            },
            Choice {
                id: 3,
                name: "New York".into(),
            },
        ],
    });
    t
}

/// The fields of clients (`None`) or of product `pid`, in id order.
pub(crate) fn fields_of(
    defs: &Table<CustomField>,
    pid: Option<i64>,
) -> impl Iterator<Item = (i64, &CustomField)> {
    defs.iter().filter(move |(_, f)| match pid {
        None => f.of == FieldOf::Client,
        Some(pid) => f.of == FieldOf::Product && f.relid == pid,
    })
}

/// The options offered with product `pid`, in id order.
pub(crate) fn options_of(
    defs: &Table<ConfigOption>,
    pid: i64,
) -> impl Iterator<Item = (i64, &ConfigOption)> {
    defs.iter().filter(move |(_, o)| o.products.contains(&pid))
}

/// The entries of a serialized parameter with integer keys; nothing when it is absent or not a
/// serialized array.
fn entries(given: Option<&Serialized>) -> Vec<(i64, PhpItem)> {
    given
        .and_then(|g| php_entries(&g.to_wire()))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k.trim().parse().ok()?, v)))
        .collect()
}

/// The custom field values of a `customfields` parameter, for the fields of clients (`None`)
/// or of product `pid`; ids of other fields are dropped.
pub(crate) fn custom_values(
    defs: &Table<CustomField>,
    pid: Option<i64>,
    given: Option<&Serialized>,
) -> BTreeMap<i64, String> {
    entries(given)
        .into_iter()
        .filter(|(id, _)| fields_of(defs, pid).any(|(f, _)| f == *id))
        .filter_map(|(id, v)| match v {
            PhpItem::Text(t) => Some((id, t)),
            PhpItem::Array(_) => None,
        })
        .collect()
}

/// The first required client field `values` leaves empty, if any.
pub(crate) fn missing_required<'a>(
    defs: &'a Table<CustomField>,
    values: &BTreeMap<i64, String>,
) -> Option<&'a CustomField> {
    fields_of(defs, None)
        .find(|(id, f)| f.required && values.get(id).is_none_or(|v| v.trim().is_empty()))
        .map(|(_, f)| f)
}

/// The configurable option choices of a `configoptions` parameter, for the options of product
/// `pid`, by option id: a choice id for a dropdown or radio option, else the quantity (1 or 0
/// for yes/no). A value may be a number or `array('optionid' => …, 'qty' => …)`: the option id
/// counts for a dropdown or radio option, the quantity for the others. Other options, and values
/// that are not whole numbers, are dropped; quantities are stored as given (WHMCS's `minqty` and
/// `maxqty` checks are not modelled).
pub(crate) fn option_values(
    defs: &Table<ConfigOption>,
    pid: i64,
    given: Option<&Serialized>,
) -> BTreeMap<String, i64> {
    entries(given)
        .into_iter()
        .filter_map(|(id, v)| {
            let (_, option) = options_of(defs, pid).find(|(o, _)| *o == id)?;
            let text = match v {
                PhpItem::Text(t) => t,
                PhpItem::Array(entries) => {
                    let key = if option.holds_choice() {
                        "optionid"
                    } else {
                        "qty"
                    };
                    match entries.into_iter().find(|(k, _)| k == key)? {
                        (_, PhpItem::Text(t)) => t,
                        (_, PhpItem::Array(_)) => return None,
                    }
                }
            };
            Some((id.to_string(), text.trim().parse().ok()?))
        })
        .collect()
}
