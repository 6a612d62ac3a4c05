//! The type judgments the request and the response share: what a table type, an example value or
//! a name says a field holds (a date, money, a secret, one of the tree's shared enums), and the
//! page context they are made in.

use super::json::Json;
use super::page::Row;

/// What drafting one page knows beside its tables.
pub(super) struct Ctx<'a> {
    /// The action name.
    pub(super) action: &'a str,
    /// The shared types and enums of the tree the draft goes into.
    pub(super) shared: &'a whmcs_spec::Shared,
    /// The page's version history.
    pub(super) versions: &'a [(String, String)],
    /// The response table, for the descriptions of answer fields.
    pub(super) response_rows: &'a [Row],
}

/// The spec type of a parameter table type, when it is plain.
pub(super) fn table_type(ty: &str) -> Option<String> {
    Some(
        match ty.trim().to_ascii_lowercase().as_str() {
            "int" | "integer" | "numeric" => "int",
            "string" | "text" => "string",
            "bool" | "boolean" => "bool",
            "float" | "decimal" => "float",
            "datetime" => "datetime",
            "date" => "date",
            "int[]" => "list<int>",
            "string[]" => "list<string>",
            "bool[]" => "list<bool>",
            "float[]" => "list<float>",
            "mixed" => "json",
            // `int|string`: one id or several, comma-separated.
            t if t.contains('|') => "string",
            _ => return None,
        }
        .to_string(),
    )
}

pub(super) fn is_money_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "amount",
        "price",
        "pricing",
        "total",
        "credit",
        "fee",
        "balance",
        "subtotal",
        "cost",
        "income",
        "revenue",
        "withdraw",
        "recurring",
        "renew",
    ]
    .iter()
    .any(|m| n.contains(m))
        && !n.contains("rate")
        && !n.contains("percent")
}

/// Whether a field holds something to keep out of logs: a password, a card or bank account
/// number, a security code or answer, a token, an EPP code. By name, or for text fields by what
/// the page says of them.
pub(super) fn is_secret(name: &str, desc: &str) -> bool {
    let n = name.to_ascii_lowercase();
    // The last four digits, the type or expiry of a card are not secret.
    if [
        "last", "four", "type", "expir", "start", "issuer", "reset", "strength", "url",
    ]
    .iter()
    .any(|m| n.contains(m))
    {
        return false;
    }
    let by_name = [
        "password",
        "passwd",
        "rootpw",
        "cvv",
        "cardnum",
        "card_number",
        "cardnumber",
        "ccnumber",
        "bankacct",
        "bank_account",
        "bankaccount",
        "accountnumber",
        "iban",
        "secret",
        "eppcode",
        "privatekey",
        "private_key",
        "token",
        "securityqans",
        "apikey",
        "api_key",
    ]
    .iter()
    .any(|m| n.contains(m))
        || n == "password2";
    // What the page says the value is: "The account number", "A OTP token to ...".
    let mut d = desc.trim().to_ascii_lowercase();
    for article in ["the ", "a new ", "a ", "an ", "new "] {
        if let Some(rest) = d.strip_prefix(article) {
            d = rest.to_string();
        }
    }
    let by_desc = [
        "password",
        "cvv",
        "credit card number",
        "card number",
        "account number",
        "security question answer",
        "secret",
        "otp token",
        "token",
        "login session token",
        "epp code",
        "private key",
        "api key",
    ]
    .iter()
    .any(|m| d.starts_with(m));
    by_name || by_desc
}

/// A shared enum of the target tree whose values a field takes, judged by the field's name
/// (`status`, `billingcycle`, `priority`, a `sort` order), what it belongs to (the `status` of
/// an invoice is an `InvoiceStatus`, of a product a `ServiceStatus`), and the values the page
/// shows, which must all be among the enum's. `listed`: `values` are the page's full list.
pub(super) fn shared_enum(
    ctx: &Ctx<'_>,
    name: &str,
    owner: &str,
    values: &[String],
    listed: bool,
) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let fits = |e: &str| {
        ctx.shared.values.get(e).is_some_and(|allowed| {
            values
                .iter()
                .all(|v| allowed.iter().any(|a| a.eq_ignore_ascii_case(v)))
        })
    };
    if lower.contains("sort") {
        if ["field", "by", "key", "column"]
            .iter()
            .any(|m| lower.contains(m))
        {
            return None;
        }
        return ctx
            .shared
            .values
            .iter()
            .find(|(_, vals)| {
                let mut v: Vec<String> = vals.iter().map(|x| x.to_ascii_lowercase()).collect();
                v.sort();
                v == ["asc", "desc"]
            })
            .map(|(e, _)| e.clone())
            .filter(|e| fits(e));
    }
    let suffix = if lower.ends_with("status") {
        "status"
    } else {
        lower.as_str()
    };
    let context = format!("{}{owner}{name}", ctx.action).to_ascii_lowercase();
    let mut best: Option<(usize, &String)> = None;
    for e in &ctx.shared.enums {
        let el = e.to_ascii_lowercase();
        let Some(prefix) = el.strip_suffix(suffix) else {
            continue;
        };
        if !fits(e) || (!listed && values.is_empty() && prefix.is_empty() && suffix == "status") {
            continue;
        }
        let at = if prefix.is_empty() {
            Some(0)
        } else {
            let words: Vec<&str> = match prefix {
                "service" => vec!["service", "product", "addon", "lineitem"],
                "invoice" => vec!["invoice", "payment"],
                "todoitem" => vec!["todo"],
                "oauth" | "oauthgrant" => vec!["oauth", "credential"],
                "cancellation" => vec!["cancel"],
                "affiliatepay" => vec!["affiliate"],
                other => vec![other],
            };
            words
                .iter()
                .filter_map(|w| context.rfind(w).map(|p| p + w.len()))
                .max()
        };
        if let Some(at) = at
            && best.is_none_or(|(b, _)| at > b)
        {
            best = Some((at, e));
        }
    }
    best.map(|(_, e)| e.clone())
}

pub(super) fn is_datetime(s: &str) -> bool {
    s.len() == 19
        && s.as_bytes().get(10) == Some(&b' ')
        && s.replace(['-', ':', ' '], "")
            .bytes()
            .all(|b| b.is_ascii_digit())
}

pub(super) fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.as_bytes().get(4) == Some(&b'-')
        && s.as_bytes().get(7) == Some(&b'-')
        && s.replace('-', "").bytes().all(|b| b.is_ascii_digit())
}

/// The spec type of a scalar from its example value and key.
pub(super) fn scalar_type(k: &str, v: &Json) -> String {
    let key = k.to_ascii_lowercase();
    // Identifiers that are text even when they look like numbers.
    if [
        "uuid",
        "last_four",
        "lastfour",
        "last4",
        "ordernumber",
        "subscriptionid",
        "tax_id",
        "taxid",
    ]
    .iter()
    .any(|m| key.contains(m))
        || key == "tid"
    {
        return "string".into();
    }
    let idish = key == "id"
        || key.ends_with("id")
        || key.ends_with("_id")
        || key.starts_with("num")
        || key.ends_with("count")
        || key.starts_with("total");
    match v {
        Json::Bool(_) => "bool".into(),
        Json::Int(_) => "int".into(),
        Json::Float(..) => if is_money_name(k) { "money" } else { "float" }.into(),
        Json::Null if key.ends_with("_at") => "datetime".into(),
        Json::Null => if idish { "int" } else { "string" }.into(),
        Json::Str(s) => {
            let s = s.trim();
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if is_date(s) {
                "date".into()
            } else if s.len() == 19
                && s.as_bytes().get(10) == Some(&b' ')
                && digits(&s.replace(['-', ':', ' '], ""))
            {
                "datetime".into()
            } else if s.is_empty() && idish {
                "int".into()
            } else if key.ends_with("ids")
                && s.contains(',')
                && s.split(',').all(|p| digits(p.trim()))
            {
                "csv<int>".into()
            } else if let Some((a, b)) = s.split_once('.') {
                let a = a.strip_prefix('-').unwrap_or(a);
                if digits(a) && digits(b) {
                    if b.len() == 2 && !key.contains("rate") && !key.contains("percent") {
                        "money".into()
                    } else {
                        "float".into()
                    }
                } else {
                    "string".into()
                }
            } else if digits(s)
                && (idish || s.len() < 10)
                && !key.contains("phone")
                && !key.contains("postcode")
                && !key.contains("code")
                && !key.contains("name")
            {
                "int".into()
            } else {
                "string".into()
            }
        }
        Json::List(_) | Json::Object(_) => "json".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_found_by_name_and_description() {
        assert!(is_secret("cvv", ""));
        assert!(is_secret("cardnum", ""));
        assert!(is_secret("bank_account", "The account number."));
        assert!(is_secret(
            "access_token",
            "A OTP token to authenticate the user"
        ));
        assert!(is_secret("answer", "The security question answer"));
        assert!(!is_secret(
            "card_last_four",
            "The last four digits of the card number"
        ));
        assert!(!is_secret(
            "email",
            "Whose password to look up, by email address"
        ));
    }
}
