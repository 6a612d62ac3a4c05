//! `whmcs spec import`: turns a WHMCS reference page (the vendor's Markdown format) into a spec
//! draft. It takes facts only — names, wire types, required flags, allowed values, deprecations,
//! versions, error messages, the examples — and leaves every summary for a person to write.
//!
//! One file per stage: `page` reads the Markdown, `php` the example request, `request` and
//! `response` type the parameters and the answer fields (on the judgments they share in `infer`),
//! `errors` turns messages into variants, `versions` reads the history, and `write` spells the
//! draft as TOML; this file runs them in order.

mod errors;
mod infer;
mod json;
mod page;
mod php;
mod request;
mod response;
mod versions;
mod write;

use std::fmt::Write as _;

pub use page::index_entries;

use errors::{error_entries, not_found_for};
use infer::{Ctx, is_secret, table_type};
use json::Json;
use page::{Row, parse_page};
use php::php_example;
use request::{example_table_type, request_type, sample_value};
use response::{unflatten, write_fields};
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
