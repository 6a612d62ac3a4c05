//! The last fallback: the spec's example answer, put through the action's response type (so
//! keys the reference flattened, `domains[domain][0][id]`, come back as the nested shape), with
//! the values the request names taken from the request.

use serde_json::{Map, Value, json};
use whmcs_api::ActionInfo;
use whmcs_php::Form;

/// The example answer of `info`, adapted to `params`.
pub fn example_answer(info: &ActionInfo, params: &Map<String, Value>) -> Value {
    let example: Value = info
        .example_response()
        .and_then(|e| serde_json::from_str(e).ok())
        .unwrap_or_else(|| json!({"result": "success"}));
    let Value::Object(mut map) = example else {
        return json!({"result": "success"});
    };
    unflatten(&mut map);
    map.insert("result".into(), json!("success"));
    map.remove("message");
    let mut answer = info
        .decode(Value::Object(map.clone()).to_string().as_bytes())
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or(map);
    for (k, v) in answer.iter_mut() {
        if k == "result" {
            continue;
        }
        if let Some(given) = params.get(k).filter(|g| !g.is_object() && !g.is_array())
            && !v.is_object()
            && !v.is_array()
        {
            *v = given.clone();
        }
    }
    answer.insert("result".into(), json!("success"));
    Value::Object(answer)
}

/// Folds keys written the way PHP flattens nested arrays (`a[b][0][c]`) back into the nested
/// shape, as `parse_str` reads them.
fn unflatten(map: &mut Map<String, Value>) {
    let flat: Vec<String> = map.keys().filter(|k| k.contains('[')).cloned().collect();
    if flat.is_empty() {
        return;
    }
    let mut form = Form::new();
    for key in &flat {
        if let Some(v) = map.remove(key) {
            form.json(key, &v);
        }
    }
    for (k, v) in whmcs_php::parse_str(form.as_str()) {
        map.insert(k, v);
    }
}
