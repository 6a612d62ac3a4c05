//! `whmcs spec import`: turns a WHMCS reference page (the vendor's Markdown format) into a spec
//! draft. It takes facts only — names, wire types, required flags, allowed values, deprecations,
//! versions, error messages, the examples — and leaves every summary for a person to write.

use std::fmt::Write as _;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use whmcs_php::{PhpKey, PhpValue};

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

/// JSON with object keys kept in the order they were written.
#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64, String),
    Str(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(i64::try_from(v).map_or(Json::Float(v as f64, v.to_string()), Json::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Float(v, v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Str(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Json::List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut out: Vec<(String, Json)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    match out.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                Ok(Json::Object(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// One row of a parameter table.
#[derive(Debug)]
struct Row {
    name: String,
    ty: String,
    desc: String,
    required: bool,
    deprecated: bool,
}

/// The sections of a page the importer reads.
#[derive(Debug, Default)]
struct Page {
    title: String,
    request: Vec<Row>,
    response: Vec<Row>,
    curl: String,
    response_json: String,
    errors: Vec<String>,
    versions: Vec<(String, String)>,
}

fn parse_page(md: &str) -> Page {
    let mut page = Page::default();
    let mut section = String::new();
    let mut in_code = false;
    let mut code = String::new();
    for line in md.lines() {
        if let Some(t) = line.strip_prefix("title = ") {
            page.title = t.trim().trim_matches('"').to_string();
            continue;
        }
        if line.trim_start().starts_with("```") {
            if in_code {
                match section.as_str() {
                    s if s.starts_with("Example Request (CURL)") => {
                        page.curl = std::mem::take(&mut code)
                    }
                    s if s.starts_with("Example Response") => {
                        page.response_json = std::mem::take(&mut code)
                    }
                    _ => code.clear(),
                }
            }
            in_code = !in_code;
            continue;
        }
        if in_code {
            code.push_str(line);
            code.push('\n');
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            section = h.trim().to_string();
            continue;
        }
        let cells: Vec<String> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect();
        let is_row = line.trim_start().starts_with('|')
            && cells.len() >= 3
            && !cells[0].starts_with("---")
            && cells[0] != "Parameter"
            && cells[0] != "Version";
        match section.as_str() {
            "Request Parameters" if is_row && cells.len() >= 4 => page.request.push(row(&cells)),
            "Response Parameters" if is_row => page.response.push(row(&cells)),
            "Version History" if is_row => page.versions.push((cells[0].clone(), cells[1].clone())),
            "Error Responses" => {
                if let Some(e) = line.trim().strip_prefix("* ") {
                    page.errors.push(e.trim().to_string());
                }
            }
            _ => {}
        }
    }
    page
}

fn row(cells: &[String]) -> Row {
    let strip = |s: &str| {
        s.trim()
            .trim_start_matches("~~")
            .trim_end_matches("~~")
            .trim()
            .to_string()
    };
    let deprecated =
        cells[0].contains("~~") || cells.get(3).is_some_and(|c| c.contains("Deprecated"));
    Row {
        name: strip(&cells[0]).trim_start_matches('$').to_string(),
        ty: strip(&cells[1]).replace('\\', ""),
        desc: strip(cells.get(2).map_or("", String::as_str)),
        required: cells
            .get(3)
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("required")),
        deprecated,
    }
}

/// The actions of the API index page (`api/api-index.md`): `(page slug, action name, category)`,
/// with categories in snake case (`project_management`).
pub fn index_entries(index_md: &str) -> Vec<(String, String, String)> {
    let mut category = String::new();
    let mut out = Vec::new();
    for line in index_md.lines() {
        if let Some(h) = line
            .split("<h3>")
            .nth(1)
            .and_then(|r| r.split("</h3>").next())
        {
            category = whmcs_spec::naming::snake(h);
        } else if let Some(rest) = line.split("href=\"/api-reference/").nth(1) {
            let slug = rest.split('/').next().unwrap_or_default();
            if let Some(name) = rest
                .split("\">")
                .nth(1)
                .and_then(|r| r.split("</a>").next())
            {
                out.push((slug.to_string(), name.trim().to_string(), category.clone()));
            }
        }
    }
    out
}

/// Makes a draft spec from a reference page; `category` is the API index group.
pub fn draft(md: &str, category: &str) -> Result<Draft, String> {
    let page = parse_page(md);
    if page.title.is_empty() {
        return Err("not a WHMCS reference page: no `title = \"…\"` in its front matter".into());
    }
    let action = page.title.clone();
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

    let example_request = php_example(&page.curl, &params, &mut notes);
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
    for r in order {
        let example = match &example_request {
            Some(Json::Object(e)) => e.iter().find(|(k, _)| *k == r.name).map(|(_, v)| v),
            _ => None,
        };
        let (ty, values) = request_type(r, example, &action, &mut types);
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
        let _ = writeln!(out, "{} = {{ {} }}", key(&r.name), attrs.join(", "));
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
        write_fields(
            &mut out,
            &fields,
            &mut types,
            &mut enums,
            &page.versions,
            "",
        );
        seen.extend(fields.into_iter().map(|(k, _)| k));
    }
    for r in page
        .response
        .iter()
        .filter(|r| r.name != "result" && !seen.contains(&r.name) && is_plain_key(&r.name))
    {
        let ty = table_type(&r.ty).unwrap_or_else(|| "json".to_string());
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
    let mut variants: Vec<String> = Vec::new();
    let mut messages: Vec<&String> = Vec::new();
    for e in &page.errors {
        if messages.contains(&e) {
            continue;
        }
        messages.push(e);
        let (template, variant) = error_template(e);
        let mut v = variant;
        let base = v.clone();
        let mut n = 2;
        while variants.contains(&v) {
            v = format!("{base}{n}");
            n += 1;
        }
        let _ = writeln!(out, "{v} = {}", quote(&template));
        variants.push(v);
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
    if body.contains("'''") {
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

fn push_common(
    attrs: &mut Vec<String>,
    wire: &str,
    required: bool,
    deprecated: bool,
    since: Option<String>,
) {
    if !whmcs_spec::naming::is_snake_ident(wire) {
        let mut rust = whmcs_spec::naming::snake(wire);
        if rust.is_empty() || rust.starts_with(|c: char| c.is_ascii_digit()) {
            rust = format!("field_{rust}");
        }
        if whmcs_spec::naming::is_keyword(&rust) || rust == "extra" || rust == "extra_params" {
            rust.push_str("_value");
        }
        attrs.push(format!("rust = {}", quote(&rust)));
    }
    if required {
        attrs.push("required = true".into());
    }
    if deprecated {
        attrs.push("deprecated = true".into());
    }
    if let Some(v) = since {
        attrs.push(format!("since = {}", quote(&v)));
    }
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
            _ => return None,
        }
        .to_string(),
    )
}

fn is_money_name(name: &str) -> bool {
    [
        "amount", "price", "total", "credit", "fee", "balance", "subtotal", "cost", "income",
        "revenue",
    ]
    .iter()
    .any(|m| name.to_ascii_lowercase().contains(m))
        && !name.to_ascii_lowercase().contains("rate")
}

fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "rootpw",
        "cvv",
        "cardnum",
        "secret",
        "eppcode",
        "privatekey",
        "token",
    ]
    .iter()
    .any(|m| n.contains(m))
        || n == "password2"
}

/// The spec type (and allowed values) of a request parameter.
fn request_type(
    r: &Row,
    example: Option<&Json>,
    action: &str,
    types: &mut String,
) -> (String, Option<Vec<String>>) {
    let desc = r.desc.to_ascii_lowercase();
    if desc.contains("base64") && desc.contains("serializ") {
        return (
            if r.ty.ends_with("[]") {
                "list<serialized>"
            } else {
                "serialized"
            }
            .to_string(),
            None,
        );
    }
    let base = table_type(&r.ty);
    if let Some(values) = allowed_values(&r.desc) {
        let ty = if r.ty.ends_with("[]") || r.ty == "array" {
            "list<enum>"
        } else {
            "enum"
        };
        return (ty.to_string(), Some(values));
    }
    if let Some(ty) = example_shape(r, example, action, types) {
        return (ty, None);
    }
    let ty = match base.as_deref() {
        Some("string") if is_secret_name(&r.name) => "secret".to_string(),
        Some("string") if matches!(example, Some(Json::Str(s)) if is_datetime(s)) => {
            "datetime".to_string()
        }
        Some("string") if desc.contains("y-m-d") || desc.contains("yyyy-mm-dd") => {
            "date".to_string()
        }
        Some("float") if is_money_name(&r.name) => "money".to_string(),
        Some("list<string>") if is_secret_name(&r.name) => "list<secret>".to_string(),
        Some("list<float>") if is_money_name(&r.name) => "list<money>".to_string(),
        Some(t) => t.to_string(),
        None => match example {
            Some(Json::List(items))
                if items.iter().all(|i| matches!(i, Json::Object(_))) && !items.is_empty() =>
            {
                let name = format!("{}{}", action, whmcs_spec::naming::camel(&r.name));
                let fields: Vec<(String, Json)> = merged_fields(items);
                let mut enums = String::new();
                write_nested(types, &mut enums, &name, &fields);
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

fn is_datetime(s: &str) -> bool {
    s.len() == 19
        && s.as_bytes().get(10) == Some(&b' ')
        && s.replace(['-', ':', ' '], "")
            .bytes()
            .all(|b| b.is_ascii_digit())
}

/// The type the example's value shows, where the table's type does not fit it: keyed arrays
/// (`array(13 => …)`), nested arrays, and text where the table says array.
fn example_shape(
    r: &Row,
    example: Option<&Json>,
    action: &str,
    types: &mut String,
) -> Option<String> {
    let scalar = |v: &Json| match v {
        Json::Bool(_) => "bool",
        Json::Int(_) => "int",
        Json::Float(..) => {
            if is_money_name(&r.name) {
                "money"
            } else {
                "float"
            }
        }
        _ => "string",
    };
    match example? {
        Json::Str(s) if r.ty.eq_ignore_ascii_case("array") || r.ty.ends_with("[]") => {
            let _ = s;
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
                    let leaf = inner.first().map_or("string", |x| scalar(x));
                    let leaf = if inner.iter().all(|x| scalar(x) == leaf) {
                        leaf
                    } else {
                        "string"
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
                    "string"
                };
                return Some(format!("map<{leaf}>"));
            }
            let _ = (action, types);
            Some("json".into())
        }
        _ => None,
    }
}

/// Values a description lists as the only ones allowed.
fn allowed_values(desc: &str) -> Option<Vec<String>> {
    let lower = desc.to_ascii_lowercase();
    for marker in [
        "accepted values are",
        "valid values are",
        "possible values are",
        "one of:",
        "one of",
        "can be one of",
        "supported values are",
        "options are",
    ] {
        if let Some(pos) = lower.find(marker) {
            let tail = &desc[pos + marker.len()..];
            let tail = tail.trim_start_matches([':', ' ']);
            let end = tail.find(". ").map_or(tail.len(), |e| e);
            let list = tail[..end].trim_end_matches('.');
            let values: Vec<String> = list
                .split([',', '/'])
                .flat_map(|part| part.split(" or "))
                .flat_map(|part| part.split(" and "))
                .map(|v| {
                    v.trim()
                        .trim_matches(['\'', '"', '`', '.', '(', ')'])
                        .trim()
                        .to_string()
                })
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
    // Quoted alternatives: 'Immediate' or 'End of Billing Period'.
    let quoted: Vec<String> = desc
        .split('\'')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    if quoted.len() >= 2
        && desc.matches('\'').count().is_multiple_of(2)
        && (lower.contains(" or ") || lower.contains("either"))
        && quoted.iter().all(|q| !q.is_empty() && q.len() <= 40)
    {
        return Some(quoted);
    }
    None
}

fn since(versions: &[(String, String)], name: &str) -> Option<String> {
    let tick = format!("`{name}`");
    let dollar = format!("`${name}`");
    versions
        .iter()
        .find(|(_, log)| log.contains(&tick) || log.contains(&dollar))
        .map(|(v, _)| v.clone())
        .filter(|v| v != "1.0")
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

fn write_fields(
    out: &mut String,
    fields: &[(String, Json)],
    types: &mut String,
    enums: &mut String,
    versions: &[(String, String)],
    owner: &str,
) {
    let mut patterns: Vec<String> = Vec::new();
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
        let (ty, wrapper) = response_type(k, v, types, enums, owner);
        let mut attrs = vec![format!("type = {}", quote(&ty))];
        if let Some(w) = wrapper {
            attrs.push(format!("wrapper = {}", quote(&w)));
        }
        push_common(&mut attrs, k, false, false, since(versions, k));
        let _ = writeln!(out, "{} = {{ {} }}", key(k), attrs.join(", "));
    }
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
            write_nested(types, enums, &name, &fields);
            (format!("list<{name}>"), Some(item_key.clone()))
        }
        Json::Object(entries)
            if entries.len() == 1
                && matches!(&entries[0].1, Json::Object(_))
                && is_singular_of(&entries[0].0, k) =>
        {
            // A wrapper around a single item, e.g. {"ticket": {...}}.
            let (item_key, item) = (&entries[0].0, &entries[0].1);
            let name = type_name(item_key, owner);
            if let Json::Object(fields) = item {
                write_nested(types, enums, &name, fields);
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
                write_nested(types, enums, &name, &merged_fields(&items));
                (format!("list<{name}>"), None)
            } else {
                ("map<string>".into(), None)
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
            let (inner, _) = response_type(k, first, types, enums, owner);
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
        Json::Object(entries) => {
            let name = type_name(k, owner);
            write_nested(types, enums, &name, entries);
            (name, None)
        }
        Json::List(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Json::Object(_))) =>
        {
            let name = type_name(k, owner);
            write_nested(types, enums, &name, &merged_fields(items));
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

/// `ticket` in `{"tickets": {"ticket": …}}`.
fn is_singular_of(inner: &str, outer: &str) -> bool {
    outer.eq_ignore_ascii_case(&format!("{inner}s"))
        || outer.eq_ignore_ascii_case(&format!("{inner}es"))
}

fn write_nested(types: &mut String, enums: &mut String, name: &str, fields: &[(String, Json)]) {
    if types.contains(&format!("\n[types.{name}]\n")) {
        return;
    }
    let mut body = String::new();
    let mut nested = String::new();
    write_fields(&mut body, fields, &mut nested, enums, &[], name);
    let _ = write!(types, "\n[types.{name}]\n{body}");
    types.push_str(&nested);
}

/// The spec type of a scalar from its example value and key.
fn scalar_type(k: &str, v: &Json) -> String {
    let key = k.to_ascii_lowercase();
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
        Json::Null => if idish { "int" } else { "string" }.into(),
        Json::Str(s) => {
            let s = s.trim();
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if s.len() == 10
                && s.as_bytes().get(4) == Some(&b'-')
                && s.as_bytes().get(7) == Some(&b'-')
                && digits(&s.replace('-', ""))
            {
                "date".into()
            } else if s.len() == 19
                && s.as_bytes().get(10) == Some(&b' ')
                && digits(&s.replace(['-', ':', ' '], ""))
            {
                "datetime".into()
            } else if let Some((a, b)) = s.split_once('.') {
                let a = a.strip_prefix('-').unwrap_or(a);
                if digits(a) && digits(b) {
                    if b.len() == 2 && !key.contains("rate") {
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

/// The error message as a spec template, and a variant name for it.
fn error_template(msg: &str) -> (String, String) {
    let mut t = msg.trim().to_string();
    // Parenthesised explanations after a placeholder describe it; they are not part of the message.
    for p in [
        " (list of active gateways)",
        " (error from module)",
        " (response from module)",
        " (message from gateway)",
    ] {
        t = t.replace(p, "");
    }
    let mut words: Vec<String> = Vec::new();
    let mut out = String::new();
    for token in t.split(' ') {
        let bare =
            token.trim_matches(|c: char| !c.is_alphanumeric() && c != '<' && c != '>' && c != '|');
        let is_placeholder = (bare.len() >= 3 && bare.chars().all(|c| c == 'x' || c == 'X'))
            || (bare.starts_with('<') && bare.ends_with('>'))
            || (bare.contains('|') && bare.len() > 3)
            || token.trim_matches(['"', '.', ',']) == "x"
            || (token.starts_with('"')
                && token.trim_end_matches(['.', ',']).ends_with('"')
                && token
                    .trim_matches(['"', '.', ','])
                    .chars()
                    .all(|c| c == 'x'));
        if !out.is_empty() {
            out.push(' ');
        }
        if is_placeholder {
            let name = if token.contains('|') {
                "status"
            } else if token.contains("<") {
                "parameter"
            } else {
                "value"
            };
            out.push_str(
                &token
                    .replace(bare, &format!("{{{name}}}"))
                    .replace("\"x\"", &format!("\"{{{name}}}\"")),
            );
            continue;
        }
        out.push_str(token);
        if words.len() < 8 {
            let w = whmcs_spec::naming::camel(&bare.to_ascii_lowercase());
            if !w.is_empty() {
                words.push(w);
            }
        }
    }
    let lower = out.to_ascii_lowercase();
    if lower.ends_with(" include") || lower.ends_with(':') {
        out.push_str(" {details}");
    }
    // Placeholder names must be unique within a template.
    let mut n = 0;
    let mut fixed = String::new();
    let mut rest = out.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        fixed.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        n += 1;
        if fixed.contains(&format!("{{{name}}}")) {
            let _ = write!(fixed, "{{{name}{n}}}");
        } else {
            let _ = write!(fixed, "{{{name}}}");
        }
        rest = &rest[open + close + 1..];
    }
    fixed.push_str(rest);
    let mut variant: String = words.concat();
    if variant.is_empty()
        || variant.starts_with(|c: char| c.is_ascii_digit())
        || variant == "Unknown"
    {
        variant = format!("Error{variant}");
    }
    (fixed, variant)
}

/// The example request: the PHP array passed to `http_build_query` on the page, in wire form.
fn php_example(curl: &str, params: &[&Row], notes: &mut Vec<String>) -> Option<Json> {
    let start = curl.find("http_build_query(")? + "http_build_query(".len();
    let mut p = PhpParser {
        s: &curl[start..],
        pos: 0,
        notes,
    };
    p.skip();
    let value = p.value()?;
    let Json::Object(entries) = value else {
        return None;
    };
    let mut out: Vec<(String, Json)> = Vec::new();
    for (k, v) in entries {
        let k = k.trim_start_matches('$').to_string();
        // `'//example' => …` is a commented-out key the page left in (a known page defect).
        if k.starts_with("//")
            || [
                "action",
                "username",
                "password",
                "responsetype",
                "identifier",
                "secret",
                "accesskey",
            ]
            .contains(&k.as_str())
        {
            continue;
        }
        if let Some(open) = k.find('[') {
            // 'attributes[0][label]' => … is the nested array attributes[0][label].
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
            continue;
        }
        out.push((k, v));
    }
    for (_, v) in &mut out {
        listify(v);
    }
    let _ = params;
    Some(Json::Object(out))
}

fn insert_path(node: &mut Json, path: &[String], value: Json) {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    if !matches!(node, Json::Object(_)) {
        *node = Json::Object(Vec::new());
    }
    if let Json::Object(entries) = node {
        let i = match entries.iter().position(|(k, _)| k == first) {
            Some(i) => i,
            None => {
                entries.push((first.clone(), Json::Null));
                entries.len() - 1
            }
        };
        insert_path(&mut entries[i].1, rest, value);
    }
}

/// Objects keyed 0, 1, 2, … are lists.
fn listify(v: &mut Json) {
    match v {
        Json::Object(entries) => {
            for (_, e) in entries.iter_mut() {
                listify(e);
            }
            if !entries.is_empty()
                && entries
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| *k == i.to_string())
            {
                *v = Json::List(entries.drain(..).map(|(_, v)| v).collect());
            }
        }
        Json::List(items) => items.iter_mut().for_each(listify),
        _ => {}
    }
}

struct PhpParser<'a, 'n> {
    s: &'a str,
    pos: usize,
    notes: &'n mut Vec<String>,
}

impl<'a> PhpParser<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip(&mut self) {
        loop {
            let r = self.rest();
            let trimmed = r.trim_start();
            self.pos += r.len() - trimmed.len();
            if trimmed.starts_with("//") || trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.pos += trimmed.find("*/").map_or(trimmed.len(), |e| e + 2);
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Json> {
        self.skip();
        let r = self.rest();
        if r.starts_with("array(") || r.starts_with('[') {
            let close = if r.starts_with('[') { "]" } else { ")" };
            self.pos += if close == "]" { 1 } else { 6 };
            return self.array(close);
        }
        if r.starts_with('\'') || r.starts_with('"') {
            return self.string().map(Json::Str);
        }
        for (func, apply) in [
            ("base64_encode(", base64_of as fn(&Json) -> Option<Json>),
            ("serialize(", serialize_of),
            ("json_encode(", json_of),
        ] {
            if r.starts_with(func) {
                self.pos += func.len();
                let inner = self.value()?;
                self.eat(")");
                return apply(&inner);
            }
        }
        let end = r
            .find(|c: char| matches!(c, ',' | ')' | ']' | '=') || c.is_whitespace())
            .unwrap_or(r.len());
        let word = r[..end].trim();
        self.pos += end;
        match word {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            "null" => Some(Json::Null),
            w if w.starts_with('$') => Some(Json::Null),
            w => match (w.parse::<i64>(), w.parse::<f64>()) {
                (Ok(i), _) => Some(Json::Int(i)),
                (_, Ok(f)) => Some(Json::Float(f, w.to_string())),
                _ => {
                    self.notes.push(format!(
                        "the example request uses `{w}`, which is not a PHP literal; left out"
                    ));
                    None
                }
            },
        }
    }

    fn string(&mut self) -> Option<String> {
        let quote = self.rest().chars().next()?;
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    if n != quote && n != '\\' {
                        out.push('\\');
                    }
                    out.push(n);
                }
            } else if c == quote {
                self.pos += i + 1;
                return Some(out);
            } else {
                out.push(c);
            }
        }
        None
    }

    fn array(&mut self, close: &str) -> Option<Json> {
        let mut entries: Vec<(String, Json)> = Vec::new();
        let mut next_index = 0i64;
        loop {
            if self.eat(close) {
                break;
            }
            let first = self.value();
            let entry = if self.eat("=>") {
                let key = match first {
                    Some(Json::Str(s)) => s,
                    Some(Json::Int(i)) => i.to_string(),
                    _ => String::new(),
                };
                (key, self.value())
            } else {
                (String::new(), first)
            };
            let (mut key, value) = entry;
            if key.is_empty() {
                key = next_index.to_string();
            }
            if let Ok(i) = key.parse::<i64>() {
                next_index = next_index.max(i + 1);
            }
            if let Some(v) = value {
                entries.push((key, v));
            }
            if !self.eat(",") {
                self.eat(close);
                break;
            }
        }
        Some(Json::Object(entries))
    }
}

fn base64_of(v: &Json) -> Option<Json> {
    use base64::Engine as _;
    match v {
        Json::Str(s) => Some(Json::Str(
            base64::engine::general_purpose::STANDARD.encode(s),
        )),
        _ => None,
    }
}

fn serialize_of(v: &Json) -> Option<Json> {
    match php_value(v) {
        PhpValue::Array(a) => Some(Json::Str(a.serialize())),
        _ => None,
    }
}

fn json_of(v: &Json) -> Option<Json> {
    Some(Json::Str(json_text(v)))
}

/// `json_encode` of a PHP value (lists as arrays, other arrays as objects).
fn json_text(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Float(_, t) => t.clone(),
        Json::Str(s) => serde_json::to_string(s)
            .unwrap_or_default()
            .replace('/', "\\/"),
        Json::List(items) => format!(
            "[{}]",
            items.iter().map(json_text).collect::<Vec<_>>().join(",")
        ),
        Json::Object(entries) => {
            if entries
                .iter()
                .enumerate()
                .all(|(i, (k, _))| *k == i.to_string())
            {
                format!(
                    "[{}]",
                    entries
                        .iter()
                        .map(|(_, v)| json_text(v))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            } else {
                format!(
                    "{{{}}}",
                    entries
                        .iter()
                        .map(|(k, v)| format!(
                            "{}:{}",
                            serde_json::to_string(k).unwrap_or_default(),
                            json_text(v)
                        ))
                        .collect::<Vec<_>>()
                        .join(",")
                )
            }
        }
    }
}

fn php_value(v: &Json) -> PhpValue {
    match v {
        Json::Null => PhpValue::Null,
        Json::Bool(b) => PhpValue::Bool(*b),
        Json::Int(i) => PhpValue::Int(*i),
        Json::Float(f, _) => PhpValue::Float(*f),
        Json::Str(s) => PhpValue::String(s.clone()),
        Json::List(items) => PhpValue::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (PhpKey::Int(i as i64), php_value(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
        Json::Object(entries) => PhpValue::Array(
            entries
                .iter()
                .map(|(k, v)| (PhpKey::from_str_key(k), php_value(v)))
                .collect::<Vec<_>>()
                .into(),
        ),
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A TOML key, quoted when it is not bare.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value as an inline TOML value (TOML has no null: nulls are left out, as PHP does).
fn toml_inline(v: &Json) -> String {
    match v {
        Json::Null => "\"\"".into(),
        Json::Bool(b) => b.to_string(),
        Json::Int(i) => i.to_string(),
        Json::Float(_, text) => text.clone(),
        Json::Str(s) => quote(s),
        Json::List(items) => format!(
            "[{}]",
            items
                .iter()
                .filter(|i| !matches!(i, Json::Null))
                .map(toml_inline)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Json::Object(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .filter(|(_, v)| !matches!(v, Json::Null))
                .map(|(k, v)| format!("{} = {}", key(k), toml_inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_templates_mark_the_filled_in_parts() {
        assert_eq!(
            error_template("Service ID xxx can not be renewed at this time.").0,
            "Service ID {value} can not be renewed at this time."
        );
        assert_eq!(
            error_template("Expecting parameter '<request-parameter>' to be an array").0,
            "Expecting parameter '{parameter}' to be an array"
        );
        assert_eq!(
            error_template("Invalid Payment Method. Valid options include").0,
            "Invalid Payment Method. Valid options include {details}"
        );
        assert_eq!(
            error_template("Error Creating Remote Token: xxx (error from module)").0,
            "Error Creating Remote Token: {value}"
        );
        assert_eq!(
            error_template("Service ID Not Found"),
            ("Service ID Not Found".into(), "ServiceIdNotFound".into())
        );
    }

    #[test]
    fn allowed_values_are_found_in_descriptions() {
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
