//! `whmcs spec import`: turns a WHMCS reference page (the vendor's Markdown format) into a spec
//! draft. It takes facts only — names, wire types, required flags, allowed values, deprecations,
//! versions, error messages, the examples — and leaves every summary for a person to write.
//!
//! One file per stage: `page` reads the Markdown, `php` the example request, `errors` turns
//! messages into variants, `versions` reads the history, and `write` spells the draft as TOML;
//! this file types the parameters and answer fields and runs the stages in order.

mod errors;
mod json;
mod page;
mod php;
mod versions;
mod write;

use std::fmt::Write as _;

pub use page::index_entries;

use errors::{error_entries, not_found_for};
use json::{Json, insert_path, listify};
use page::{Row, parse_page};
use php::php_example;
use versions::{action_since, since};
use write::{is_plain_key, key, push_common, quote, toml_inline};

/// A spec draft made from a reference page.
#[derive(Debug)]
pub struct Draft {
    /// The action name (the page title).
    pub action: String,
    /// The spec text (TOML).
    pub toml: String,
    /// What the importer could not work out and a person should look at.
    pub notes: Vec<String>,
}

/// Makes a draft spec from a reference page; `category` is the API index group.
pub fn draft(md: &str, category: &str) -> Result<Draft, String> {
    draft_with(md, category, &whmcs_spec::Shared::default())
}

/// What drafting one page knows beside its tables.
struct Ctx<'a> {
    /// The action name.
    action: &'a str,
    /// The shared types and enums of the tree the draft goes into.
    shared: &'a whmcs_spec::Shared,
    /// The page's version history.
    versions: &'a [(String, String)],
    /// The response table, for the descriptions of answer fields.
    response_rows: &'a [Row],
}

/// [`draft`], for a spec tree whose shared types and enums are `shared`
/// (`whmcs_spec::shared_names(&out.join("types"))`): a parameter or answer field that takes the
/// values of a shared enum (an invoice's `status`, a `billingcycle`) is typed with it.
pub fn draft_with(md: &str, category: &str, shared: &whmcs_spec::Shared) -> Result<Draft, String> {
    let page = parse_page(md);
    if page.title.is_empty() {
        return Err("not a WHMCS reference page: no `title = \"…\"` in its front matter".into());
    }
    let action = page.title.clone();
    let ctx = Ctx {
        action: &action,
        shared,
        versions: &page.versions,
        response_rows: &page.response,
    };
    let mut notes = Vec::new();
    let mut out = String::new();
    let _ = writeln!(out, "action = {}", quote(&action));
    let _ = writeln!(out, "category = {}", quote(category));
    let _ = writeln!(out, "effect = {}", quote(guess_effect(&action)));
    let _ = writeln!(out, "summary = \"TODO: one line, in our own words\"");
    let _ = writeln!(
        out,
        "reference = {}",
        quote(&format!(
            "https://developers.whmcs.com/api-reference/{}/",
            action.to_ascii_lowercase()
        ))
    );
    if let Some(v) = action_since(&page.versions) {
        let _ = writeln!(out, "since = {}", quote(&v));
    }
    // Rows such as `lineitems[x][desc]` describe the entries of another parameter, not parameters.
    let params: Vec<&Row> = page
        .request
        .iter()
        .filter(|r| r.name != "action" && !r.name.contains('['))
        .collect();
    if params.iter().any(|r| r.name == "limitstart") && params.iter().any(|r| r.name == "limitnum")
    {
        out.push_str("paged = true\n");
    }
    // The errors come first: `not_found` names their variants.
    let errors = error_entries(&page.errors);

    let mut example_request = php_example(&page.curl, &params, &mut notes);
    let mut enums = String::new();
    let mut types = String::new();

    out.push_str("\n[request]\n");
    let mut order: Vec<&Row> = Vec::new();
    if let Some(Json::Object(entries)) = &example_request {
        for (k, _) in entries {
            if let Some(r) = params.iter().find(|r| r.name == *k) {
                order.push(r);
            }
        }
    }
    for r in &params {
        if !order.iter().any(|o| o.name == r.name) {
            order.push(r);
        }
    }
    // Keys the example sends that the table does not list are real parameters too.
    let undocumented: Vec<Row> = match &example_request {
        Some(Json::Object(entries)) => entries
            .iter()
            .filter(|(k, _)| !params.iter().any(|r| r.name == *k))
            .map(|(k, v)| Row {
                name: k.clone(),
                ty: example_table_type(v),
                desc: String::new(),
                required: false,
                deprecated: false,
            })
            .collect(),
        _ => Vec::new(),
    };
    for u in &undocumented {
        notes.push(format!(
            "`{}` is sent by the example but not in the parameter table",
            u.name
        ));
        let at = match &example_request {
            Some(Json::Object(entries)) => entries
                .iter()
                .position(|(k, _)| *k == u.name)
                .unwrap_or(order.len()),
            _ => order.len(),
        };
        order.insert(at.min(order.len()), u);
    }
    let names: Vec<&str> = order.iter().map(|r| r.name.as_str()).collect();
    let mut added = Vec::new();
    for r in order {
        let example = match &example_request {
            Some(Json::Object(e)) => e.iter().find(|(k, _)| *k == r.name).map(|(_, v)| v),
            _ => None,
        };
        let (ty, values) = request_type(&ctx, r, example, &names, &mut types);
        if r.required
            && example.is_none()
            && let Some(sample) = sample_value(&ty, values.as_deref(), shared)
        {
            added.push((r.name.clone(), sample));
        }
        let mut attrs = vec![format!("type = {}", quote(&ty))];
        if let Some(values) = values {
            attrs.push(format!(
                "values = [{}]",
                values
                    .iter()
                    .map(|v| quote(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        push_common(
            &mut attrs,
            &r.name,
            r.required,
            r.deprecated,
            since(&page.versions, &r.name),
        );
        if let Some(variant) = not_found_for(&r.name, &ty, &errors) {
            attrs.push(format!("not_found = {}", quote(variant)));
        }
        let _ = writeln!(out, "{} = {{ {} }}", key(&r.name), attrs.join(", "));
    }
    if !added.is_empty() {
        notes.push(format!(
            "the example request leaves out required {}; the draft's example gives sample values",
            added
                .iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        match &mut example_request {
            Some(Json::Object(entries)) => entries.extend(added),
            _ => example_request = Some(Json::Object(added)),
        }
    }

    out.push_str("\n[response]\n");
    let response: Option<Json> = serde_json::from_str(&page.response_json).ok();
    if response.is_none() && !page.response_json.trim().is_empty() {
        notes.push(
            "the example response is not valid JSON; response fields come from the table only"
                .into(),
        );
    }
    let mut seen = Vec::new();
    if let Some(Json::Object(entries)) = &response {
        let fields: Vec<(String, Json)> = entries
            .iter()
            .filter(|(k, _)| k != "result")
            .cloned()
            .collect();
        let flat = fields.iter().any(|(k, _)| k.contains('['));
        // `queue[0][id]`-style keys are the page printing a nested answer flat; WHMCS sends it
        // nested, so the draft describes that shape.
        let fields = unflatten(fields);
        if flat {
            notes.push("the example response prints nested values as bracketed keys; the draft describes them nested, as WHMCS sends them".into());
        }
        write_fields(&ctx, &mut out, &fields, &mut types, &mut enums, "");
        seen.extend(fields.into_iter().map(|(k, _)| k));
    }
    for r in page
        .response
        .iter()
        .filter(|r| r.name != "result" && !seen.contains(&r.name) && is_plain_key(&r.name))
    {
        let ty = table_type(&r.ty).unwrap_or_else(|| "json".to_string());
        let ty = if ty == "string" && is_secret(&r.name, &r.desc) {
            "secret".to_string()
        } else {
            ty
        };
        let mut attrs = vec![format!("type = {}", quote(&ty))];
        push_common(
            &mut attrs,
            &r.name,
            false,
            r.deprecated,
            since(&page.versions, &r.name),
        );
        let _ = writeln!(out, "{} = {{ {} }}", key(&r.name), attrs.join(", "));
    }
    out.push_str(&types);
    out.push_str(&enums);

    out.push_str("\n[errors]\n");
    for (variant, template) in &errors {
        let _ = writeln!(out, "{variant} = {}", quote(template));
    }

    out.push_str("\n[example]\n");
    match &example_request {
        Some(Json::Object(entries)) if !entries.is_empty() => {
            let _ = writeln!(
                out,
                "request = {}",
                toml_inline(&Json::Object(entries.clone()))
            );
        }
        _ => out.push_str("request = {}\n"),
    }
    let body = page.response_json.trim_end();
    if !body.is_empty() && !matches!(response, Some(Json::Object(_))) {
        notes.push("the example response is not a JSON object, so the draft has none; write the answer WHMCS sends".into());
    } else if body.contains("'''") {
        let _ = writeln!(out, "response = {}", quote(body));
    } else if !body.is_empty() {
        let _ = writeln!(out, "response = '''\n{body}\n'''");
    }
    Ok(Draft {
        action,
        toml: out,
        notes,
    })
}

/// A value of the drafted type for an example that leaves a required parameter out.
fn sample_value(ty: &str, values: Option<&[String]>, shared: &whmcs_spec::Shared) -> Option<Json> {
    let scalar = |t: &str| -> Option<Json> {
        Some(Json::Str(match t {
            "int" => "1".into(),
            "bool" => "1".into(),
            "float" | "money" => "1.00".into(),
            "date" => "2024-01-31".into(),
            "datetime" => "2024-01-31 12:00:00".into(),
            "string" | "secret" => "example".into(),
            "enum" => values?.first()?.clone(),
            named => shared.values.get(named)?.first()?.clone(),
        }))
    };
    match ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => Some(Json::List(vec![scalar(inner)?])),
        None => scalar(ty),
    }
}

/// A parameter-table type for a value only the example shows.
fn example_table_type(v: &Json) -> String {
    match v {
        Json::Bool(_) => "bool",
        Json::Int(_) => "int",
        Json::Float(..) => "float",
        Json::List(_) | Json::Object(_) => "array",
        _ => "string",
    }
    .to_string()
}

fn guess_effect(action: &str) -> &'static str {
    let starts = |p: &[&str]| p.iter().any(|x| action.starts_with(x));
    if starts(&[
        "Get",
        "Validate",
        "Check",
        "Encrypt",
        "Decrypt",
        "DomainWhois",
        "DomainGet",
    ]) {
        return "read";
    }
    if starts(&["Delete", "Close", "Terminate", "Cancel"]) || action.contains("Terminate") {
        return "destructive";
    }
    let money = [
        "Invoice",
        "Payment",
        "Credit",
        "Order",
        "Transaction",
        "Billable",
        "Refund",
        "Capture",
        "Quote",
        "PayMethod",
        "Renew",
        "Register",
    ];
    if money.iter().any(|m| action.contains(m)) {
        return "financial";
    }
    "write"
}

/// The spec type of a parameter table type, when it is plain.
fn table_type(ty: &str) -> Option<String> {
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

fn is_money_name(name: &str) -> bool {
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
fn is_secret(name: &str, desc: &str) -> bool {
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

/// The spec type (and allowed values) of a request parameter; `names` are the action's
/// parameters (a list of them in a description is not a list of values).
fn request_type(
    ctx: &Ctx<'_>,
    r: &Row,
    example: Option<&Json>,
    names: &[&str],
    types: &mut String,
) -> (String, Option<Vec<String>>) {
    let desc = r.desc.to_ascii_lowercase();
    let list = r.ty.ends_with("[]") || r.ty.eq_ignore_ascii_case("array");
    if desc.contains("base64")
        && (desc.contains("serializ") || desc.contains("array"))
        && !desc.contains("json")
    {
        let ty = if r.ty.ends_with("[]") {
            "list<serialized>"
        } else {
            "serialized"
        };
        return (ty.to_string(), None);
    }
    let base = table_type(&r.ty);
    let secret = match base.as_deref() {
        Some("string" | "list<string>") | None => is_secret(&r.name, &r.desc),
        // An EPP code the page calls `int` is still a code.
        Some("int") => is_secret(&r.name, ""),
        _ => false,
    };
    if secret {
        let ty = if list { "list<secret>" } else { "secret" };
        return (ty.to_string(), None);
    }
    let textual = matches!(base.as_deref(), Some("string" | "list<string>") | None);
    let values = allowed_values(&r.desc)
        .filter(|_| textual)
        // "only one of $serviceid or $domainid" names parameters, not values.
        .filter(|v| {
            !v.iter().any(|x| x.starts_with('$')) && !v.iter().all(|x| names.contains(&x.as_str()))
        });
    let example_values: Vec<String> = match example {
        Some(Json::Str(s)) if !s.is_empty() => vec![s.clone()],
        Some(Json::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Json::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if textual {
        let known: Vec<String> = values.clone().unwrap_or_else(|| example_values.clone());
        if let Some(e) = shared_enum(ctx, &r.name, "", &known, values.is_some()) {
            let ty = if list { format!("list<{e}>") } else { e };
            return (ty, None);
        }
    }
    if let Some(values) = values {
        let ty = if list { "list<enum>" } else { "enum" };
        return (ty.to_string(), Some(values));
    }
    if let Some(ty) = example_shape(r, example) {
        return (ty, None);
    }
    let iso = desc.contains("iso8601") || desc.contains("iso 8601");
    let lower = r.name.to_ascii_lowercase();
    let ty = match base.as_deref() {
        Some("string")
            if (lower.ends_with("id") || lower.ends_with("_id"))
                && (matches!(example, Some(Json::Str(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    || matches!(example, Some(Json::Int(_))))
                && !lower.ends_with("transid") =>
        {
            "int".to_string()
        }
        Some("string") if !iso && matches!(example, Some(Json::Str(s)) if is_datetime(s)) => {
            "datetime".to_string()
        }
        Some("string") if !iso && matches!(example, Some(Json::Str(s)) if is_date(s)) => {
            "date".to_string()
        }
        Some("string") if !iso && (desc.contains("y-m-d") || desc.contains("yyyy-mm-dd")) => {
            "date".to_string()
        }
        Some("float") if is_money_name(&r.name) => "money".to_string(),
        Some("list<float>") if is_money_name(&r.name) => "list<money>".to_string(),
        Some(t) => t.to_string(),
        None => match example {
            Some(Json::List(items))
                if items.iter().all(|i| matches!(i, Json::Object(_))) && !items.is_empty() =>
            {
                let name = format!("{}{}", ctx.action, whmcs_spec::naming::camel(&r.name));
                let fields: Vec<(String, Json)> = merged_fields(items);
                let mut enums = String::new();
                let name = write_nested(ctx, types, &mut enums, &name, &fields);
                types.push_str(&enums);
                format!("list<{name}>")
            }
            Some(Json::List(_)) => "list<string>".to_string(),
            Some(Json::Object(_)) => "map<string>".to_string(),
            _ if r.ty.eq_ignore_ascii_case("array") => "list<string>".to_string(),
            _ => "string".to_string(),
        },
    };
    (ty, None)
}

/// A shared enum of the target tree whose values a field takes, judged by the field's name
/// (`status`, `billingcycle`, `priority`, a `sort` order), what it belongs to (the `status` of
/// an invoice is an `InvoiceStatus`, of a product a `ServiceStatus`), and the values the page
/// shows, which must all be among the enum's. `listed`: `values` are the page's full list.
fn shared_enum(
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

fn is_datetime(s: &str) -> bool {
    s.len() == 19
        && s.as_bytes().get(10) == Some(&b' ')
        && s.replace(['-', ':', ' '], "")
            .bytes()
            .all(|b| b.is_ascii_digit())
}

fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.as_bytes().get(4) == Some(&b'-')
        && s.as_bytes().get(7) == Some(&b'-')
        && s.replace('-', "").bytes().all(|b| b.is_ascii_digit())
}

/// The type the example's value shows, where the table's type does not fit it: keyed arrays
/// (`array(13 => …)`), nested arrays, and text where the table says array.
fn example_shape(r: &Row, example: Option<&Json>) -> Option<String> {
    let scalar = |v: &Json| scalar_type(&r.name, v);
    match example? {
        Json::Str(_) if r.ty.eq_ignore_ascii_case("array") || r.ty.ends_with("[]") => {
            Some("string".into())
        }
        Json::Object(entries) if !entries.is_empty() => {
            let values: Vec<&Json> = entries.iter().map(|(_, v)| v).collect();
            if values.iter().all(|v| matches!(v, Json::Object(_))) {
                let inner: Vec<&Json> = values
                    .iter()
                    .flat_map(|v| {
                        if let Json::Object(e) = v {
                            e.iter().map(|(_, x)| x).collect::<Vec<_>>()
                        } else {
                            Vec::new()
                        }
                    })
                    .collect();
                if inner
                    .iter()
                    .all(|x| !matches!(x, Json::Object(_) | Json::List(_)))
                {
                    let leaf = inner.first().map_or("string".to_string(), |x| scalar(x));
                    let leaf = if inner.iter().all(|x| scalar(x) == leaf) {
                        leaf
                    } else {
                        "string".to_string()
                    };
                    return Some(format!("map<map<{leaf}>>"));
                }
                return Some("json".into());
            }
            if values
                .iter()
                .all(|v| !matches!(v, Json::Object(_) | Json::List(_)))
            {
                let leaf = scalar(values[0]);
                let leaf = if values.iter().all(|x| scalar(x) == leaf) {
                    leaf
                } else {
                    "string".to_string()
                };
                return Some(format!("map<{leaf}>"));
            }
            Some("json".into())
        }
        _ => None,
    }
}

/// Values a description lists as the only ones allowed: after "one of", "accepted values are"
/// and the like, as quoted alternatives (`'Immediate' or 'End of Billing Period'`,
/// `('Draft','Delivered')`), "either X or Y", or a sentence that is only a list
/// (`Days, Weeks, Months or Years.`, `ASC or DESC.`).
fn allowed_values(desc: &str) -> Option<Vec<String>> {
    let lower = desc.to_ascii_lowercase();
    let clean = |v: &str| {
        v.trim()
            .trim_matches(['\'', '"', '`', '.', '(', ')'])
            .trim()
            .to_string()
    };
    for marker in [
        "accepted values are",
        "valid values are",
        "possible values are",
        "possible values include",
        "values include",
        "one of:",
        "can be one of",
        "one of",
        "supported values are",
        "options are",
    ] {
        if let Some(pos) = lower.find(marker) {
            let tail = &desc[pos + marker.len()..];
            let tail = tail.trim_start_matches([':', ' ']);
            if tail.starts_with(['\'', '"'])
                && let Some(q) = quoted_list(tail)
            {
                return Some(q);
            }
            let end = tail.find(". ").map_or(tail.len(), |e| e);
            let list = tail[..end].trim_end_matches('.');
            let values: Vec<String> = list
                .split([',', '/'])
                .flat_map(|part| part.split(" or "))
                .flat_map(|part| part.split(" and "))
                .map(clean)
                .filter(|v| {
                    !v.is_empty() && v.len() <= 40 && !v.contains(' ')
                        || v.split(' ').count() <= 4
                            && !v.is_empty()
                            && v.chars().next().is_some_and(char::is_uppercase)
                })
                .collect();
            if values.len() >= 2
                && values
                    .iter()
                    .all(|v| !v.to_ascii_lowercase().starts_with("default"))
            {
                return Some(values);
            }
        }
    }
    // Examples are not a list of what is allowed.
    let open_ended = ["e.g", "for example", "such as"]
        .iter()
        .any(|m| lower.contains(m))
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "etc" || w == "eg");
    if let Some(q) = desc
        .find(['\'', '"'])
        .and_then(|i| quoted_list(&desc[i..]))
        .filter(|q| q.len() >= 2 && !open_ended)
    {
        return Some(q);
    }
    if let Some(pos) = lower.find("either ") {
        let tail = &desc[pos + 7..];
        let end = tail.find(['.', ',', ';']).unwrap_or(tail.len());
        let parts: Vec<String> = tail[..end].split(" or ").map(clean).collect();
        if parts.len() == 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && !p.contains(' ') && p.len() <= 30)
        {
            return Some(parts);
        }
    }
    // A sentence that is nothing but a list of words.
    for sentence in desc.split(". ").filter(|_| !open_ended) {
        let s = sentence.trim().trim_end_matches('.');
        let items: Vec<String> = s
            .split(',')
            .flat_map(|p| p.split(" or "))
            .map(|p| p.trim().trim_start_matches("or ").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let word = |w: &str| {
            !w.is_empty()
                && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        let capital = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if items.len() >= 2
            && items.iter().all(|w| word(w))
            && (items.iter().all(|w| capital(w))
                || items.len() >= 3 && items.iter().all(|w| !capital(w)))
        {
            return Some(items);
        }
    }
    None
}

/// Quoted values in a row, `'a', 'b' or 'c'` (explanations in brackets between them allowed);
/// `None` when the quotes are not such a list.
fn quoted_list(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches('(').trim_start();
    loop {
        let q = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let end = rest[1..].find(q)? + 1;
        let value = rest[1..end].to_string();
        if value.len() > 40 {
            return None;
        }
        out.push(value);
        rest = &rest[end + 1..];
        // What separates two values: commas, `or`, `and`, spaces, and bracketed explanations.
        let mut sep = String::new();
        let mut depth = 0;
        let mut taken = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                '\'' | '"' if depth == 0 => break,
                _ if depth > 0 => {}
                c => sep.push(c),
            }
            taken = i + c.len_utf8();
        }
        let s = sep.trim().trim_end_matches(')').trim();
        let joined = matches!(s, "," | "or" | ", or" | "and" | ", and" | "/");
        if !joined || taken >= rest.len() {
            break;
        }
        rest = &rest[taken..];
    }
    (out.len() >= 2).then_some(out)
}

/// The fields of a list of objects, merged in first-seen order.
fn merged_fields(items: &[Json]) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = Vec::new();
    for item in items {
        if let Json::Object(entries) = item {
            for (k, v) in entries {
                match out.iter_mut().find(|(key, _)| key == k) {
                    Some(slot)
                        if matches!(slot.1, Json::Null | Json::Str(_))
                            && !matches!(v, Json::Null) =>
                    {
                        slot.1 = v.clone()
                    }
                    Some(_) => {}
                    None => out.push((k.clone(), v.clone())),
                }
            }
        }
    }
    out
}

/// `queue[0][id]`-style keys made into the nested values they stand for.
fn unflatten(fields: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let mut out: Vec<(String, Json)> = Vec::new();
    for (k, v) in fields {
        let Some(open) = k.find('[') else {
            out.push((k, v));
            continue;
        };
        let base = k[..open].to_string();
        let path: Vec<String> = k[open..]
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let slot = match out.iter().position(|(key, _)| *key == base) {
            Some(i) => i,
            None => {
                out.push((base, Json::Object(Vec::new())));
                out.len() - 1
            }
        };
        insert_path(&mut out[slot].1, &path, v);
    }
    for (_, v) in &mut out {
        listify(v);
    }
    out
}

fn write_fields(
    ctx: &Ctx<'_>,
    out: &mut String,
    fields: &[(String, Json)],
    types: &mut String,
    enums: &mut String,
    owner: &str,
) {
    let mut patterns: Vec<String> = Vec::new();
    // Nested objects whose every field is 0 or 1 are sets of flags (`email_preferences`).
    let flags =
        !owner.is_empty() && fields.len() >= 3 && fields.iter().all(|(_, v)| zero_or_one(v));
    for (k, v) in fields {
        // `customfields1`, `customfields2`, … beside a `customfields` list: a numbered pattern.
        let stem = k.trim_end_matches(|c: char| c.is_ascii_digit());
        let identifier = stem.starts_with(|c: char| c.is_ascii_alphabetic())
            && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if identifier
            && stem.len() < k.len()
            && !k[stem.len()..].starts_with('0')
            && fields.iter().any(|(other, _)| {
                other != k
                    && other.starts_with(stem)
                    && other[stem.len()..].chars().all(|c| c.is_ascii_digit())
                    || other == stem
            })
        {
            if !patterns.contains(&stem.to_string()) {
                patterns.push(stem.to_string());
                let ty = scalar_type(k, v);
                let _ = writeln!(
                    out,
                    "{} = {{ type = {}, rust = {} }}",
                    key(&format!("{stem}{{n}}")),
                    quote(&ty),
                    quote(&format!("{}_values", whmcs_spec::naming::snake(stem)))
                );
            }
            continue;
        }
        let (mut ty, wrapper) = response_type(ctx, k, v, types, enums, owner);
        let desc = if owner.is_empty() {
            ctx.response_rows
                .iter()
                .find(|r| r.name == *k)
                .map_or("", |r| r.desc.as_str())
        } else {
            ""
        };
        if matches!(ty.as_str(), "string" | "int") && is_secret(k, desc) {
            ty = "secret".into();
        } else if zero_or_one(v) && (flags || !owner.is_empty() && is_flag_name(k)) {
            ty = "bool".into();
        } else if matches!(ty.as_str(), "string" | "int") {
            let shown: Vec<String> = match v {
                Json::Str(s) if !s.is_empty() => vec![s.clone()],
                _ => Vec::new(),
            };
            if let Some(e) = shared_enum(ctx, k, owner, &shown, false) {
                ty = e;
            }
        }
        let mut attrs = vec![format!("type = {}", quote(&ty))];
        if let Some(w) = wrapper {
            attrs.push(format!("wrapper = {}", quote(&w)));
        }
        push_common(&mut attrs, k, false, false, since(ctx.versions, k));
        let _ = writeln!(out, "{} = {{ {} }}", key(k), attrs.join(", "));
    }
}

/// `0` or `1`, as a number or as text.
fn zero_or_one(v: &Json) -> bool {
    matches!(v, Json::Int(0 | 1)) || matches!(v, Json::Str(s) if s == "0" || s == "1")
}

/// Names that read as yes/no: `isDisabled`, `allowSingleSignOn`, `taxed`, `requiresexisting`.
fn is_flag_name(k: &str) -> bool {
    let n = k.to_ascii_lowercase();
    if [
        "qty", "quantity", "count", "num", "total", "percent", "used",
    ]
    .iter()
    .any(|m| n.contains(m))
    {
        return false;
    }
    [
        "is", "has", "allow", "can", "enable", "disable", "show", "hide", "require", "auto",
        "once", "apply", "new", "existing", "lifetime", "one", "donot",
    ]
    .iter()
    .any(|p| n.starts_with(p))
        || n == "custom"
        || [
            "ed",
            "able",
            "pending",
            "upgrades",
            "management",
            "forwarding",
            "protection",
        ]
        .iter()
        .any(|s| n.ends_with(s))
}

fn type_name(key: &str, owner: &str) -> String {
    let base = whmcs_spec::naming::camel(key);
    let base = if base.is_empty() {
        "Item".to_string()
    } else {
        base
    };
    if owner.is_empty() {
        base
    } else {
        format!("{owner}{base}")
    }
}

/// The spec type of a response value inferred from the example, writing nested types as it goes.
fn response_type(
    ctx: &Ctx<'_>,
    k: &str,
    v: &Json,
    types: &mut String,
    enums: &mut String,
    owner: &str,
) -> (String, Option<String>) {
    match v {
        Json::Object(entries)
            if entries.len() == 1
                && matches!(&entries[0].1, Json::List(items) if items.iter().all(|i| matches!(i, Json::Object(_)))) =>
        {
            let (item_key, Json::List(items)) = (&entries[0].0, &entries[0].1) else {
                return ("json".into(), None);
            };
            let name = type_name(item_key, owner);
            if items.is_empty() {
                return ("list<json>".into(), Some(item_key.clone()));
            }
            let fields = merged_fields(items);
            let name = write_nested(ctx, types, enums, &name, &fields);
            (format!("list<{name}>"), Some(item_key.clone()))
        }
        Json::Object(entries)
            if entries.len() == 1
                && matches!(&entries[0].1, Json::Object(_))
                && is_singular_of(&entries[0].0, k) =>
        {
            // A wrapper around a single item, e.g. {"ticket": {...}}.
            let (item_key, item) = (&entries[0].0, &entries[0].1);
            let mut name = type_name(item_key, owner);
            if let Json::Object(fields) = item {
                name = write_nested(ctx, types, enums, &name, fields);
            }
            (format!("list<{name}>"), Some(item_key.clone()))
        }
        Json::Object(entries)
            if !entries.is_empty()
                && entries
                    .iter()
                    .all(|(k, _)| k.chars().all(|c| c.is_ascii_digit())) =>
        {
            let items: Vec<Json> = entries.iter().map(|(_, v)| v.clone()).collect();
            if items.iter().all(|i| matches!(i, Json::Object(_))) {
                let name = type_name(k, owner);
                let name = write_nested(ctx, types, enums, &name, &merged_fields(&items));
                (format!("list<{name}>"), None)
            } else {
                // `{"1": "14.95"}`: values keyed by a number (years, ids).
                let first = scalar_type(k, &items[0]);
                let uniform = items.iter().all(|i| scalar_type(k, i) == first);
                let leaf = if uniform && first != "json" {
                    first
                } else {
                    "string".into()
                };
                (format!("map<{leaf}>"), None)
            }
        }
        Json::Object(entries) if entries.is_empty() => ("json".into(), None),
        Json::Object(entries)
            if entries.iter().any(|(k, _)| {
                !k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    || (k.len() == 3 && k.chars().all(|c| c.is_ascii_uppercase()))
            }) =>
        {
            // Keys that are data (dates, names, ids): a map.
            let first = &entries[0].1;
            let (inner, _) = response_type(ctx, k, first, types, enums, owner);
            let uniform = entries
                .iter()
                .all(|(_, v)| std::mem::discriminant(v) == std::mem::discriminant(first));
            (
                if uniform && !inner.starts_with("list<") {
                    format!("map<{inner}>")
                } else {
                    "map<json>".to_string()
                },
                None,
            )
        }
        Json::Object(entries) if same_shape_objects(entries) => {
            // `{"com": {...}, "net": {...}}`: entries of one shape under keys that are data.
            let name = type_name(k, owner);
            let items: Vec<Json> = entries.iter().map(|(_, v)| v.clone()).collect();
            let name = write_nested(ctx, types, enums, &name, &merged_fields(&items));
            (format!("map<{name}>"), None)
        }
        Json::Object(entries) => {
            let name = type_name(k, owner);
            (write_nested(ctx, types, enums, &name, entries), None)
        }
        Json::List(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Json::Object(_))) =>
        {
            let name = type_name(k, owner);
            let name = write_nested(ctx, types, enums, &name, &merged_fields(items));
            (format!("list<{name}>"), None)
        }
        Json::List(items) => match items.first() {
            Some(first) if !matches!(first, Json::List(_)) => {
                (format!("list<{}>", scalar_type(k, first)), None)
            }
            _ => ("json".into(), None),
        },
        other => (scalar_type(k, other), None),
    }
}

/// At least two entries, each an object with the same keys.
fn same_shape_objects(entries: &[(String, Json)]) -> bool {
    let keys = |v: &Json| match v {
        Json::Object(e) if !e.is_empty() => {
            Some(e.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>())
        }
        _ => None,
    };
    let Some(first) = entries.first().and_then(|(_, v)| keys(v)) else {
        return false;
    };
    entries.len() >= 2
        && entries
            .iter()
            .all(|(_, v)| keys(v).as_ref() == Some(&first))
}

/// `ticket` in `{"tickets": {"ticket": …}}`.
fn is_singular_of(inner: &str, outer: &str) -> bool {
    outer.eq_ignore_ascii_case(&format!("{inner}s"))
        || outer.eq_ignore_ascii_case(&format!("{inner}es"))
}

/// Writes the nested type `name` for `fields` and returns the name to refer to it by: a shared
/// type of that name when the example's fields are among its own, else a name of its own.
fn write_nested(
    ctx: &Ctx<'_>,
    types: &mut String,
    enums: &mut String,
    name: &str,
    fields: &[(String, Json)],
) -> String {
    let mut name = name.to_string();
    if let Some(def) = ctx.shared.defs.iter().find(|d| d.name.value == name) {
        let known = fields
            .iter()
            .filter(|(k, _)| def.fields.iter().any(|f| f.wire.value == *k))
            .count();
        if known * 5 >= fields.len() * 4 {
            return name;
        }
        name = format!("{}{name}", ctx.action);
    } else if ctx.shared.contains(&name) {
        name = format!("{}{name}", ctx.action);
    }
    if types.contains(&format!("\n[types.{name}]\n")) {
        return name;
    }
    let mut body = String::new();
    let mut nested = String::new();
    write_fields(ctx, &mut body, fields, &mut nested, enums, &name);
    let _ = write!(types, "\n[types.{name}]\n{body}");
    types.push_str(&nested);
    name
}

/// The spec type of a scalar from its example value and key.
fn scalar_type(k: &str, v: &Json) -> String {
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

    #[test]
    fn bracketed_answer_keys_are_nested() {
        let flat = vec![
            ("count".to_string(), Json::Str("1".into())),
            ("queue[0][id]".to_string(), Json::Str("1".into())),
            ("queue[0][name]".to_string(), Json::Str("a".into())),
            ("credits[credit][0][id]".to_string(), Json::Str("2".into())),
        ];
        let nested = unflatten(flat);
        assert_eq!(nested.len(), 3);
        assert!(matches!(&nested[1].1, Json::List(items) if items.len() == 1));
        assert!(
            matches!(&nested[2].1, Json::Object(e) if e[0].0 == "credit" && matches!(e[0].1, Json::List(_)))
        );
    }

    #[test]
    fn allowed_values_are_found_in_descriptions() {
        assert_eq!(
            allowed_values("The type of upgrade ('product', 'configoptions')"),
            Some(vec!["product".into(), "configoptions".into()])
        );
        assert_eq!(
            allowed_values("How often the item repeats. Days, Weeks, Months or Years."),
            Some(vec![
                "Days".into(),
                "Weeks".into(),
                "Months".into(),
                "Years".into()
            ])
        );
        assert_eq!(
            allowed_values("Order of the list. ASC or DESC. Default: ASC"),
            Some(vec!["ASC".into(), "DESC".into()])
        );
        assert_eq!(
            allowed_values("Provide the full name: 'english', 'french', etc...."),
            None
        );
        assert_eq!(
            allowed_values("When it applies: 'Immediate' or 'End of Billing Period'"),
            Some(vec!["Immediate".into(), "End of Billing Period".into()])
        );
        assert_eq!(
            allowed_values("Direction. Accepted values are: asc or desc."),
            Some(vec!["asc".into(), "desc".into()])
        );
        assert_eq!(allowed_values("The client id"), None);
    }
}
