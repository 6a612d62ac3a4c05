//! Printing answers: JSON (pretty on a terminal, compact in a pipe), JSON Lines (one item of a
//! list per line), or aligned columns for people.

use std::io::{IsTerminal as _, StdoutLock, Write as _};

use serde_json::{Map, Value};
use whmcs_api::ActionInfo;

use crate::Fail;

/// How answers are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// The answer as one JSON document.
    Json,
    /// One JSON document per line: the items of a list, or the whole answer.
    Jsonl,
    /// Aligned columns: the items of a list, or the answer's keys and values.
    Table,
}

impl Format {
    /// `json`, `jsonl` or `table`.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Self::Json),
            "jsonl" => Some(Self::Jsonl),
            "table" => Some(Self::Table),
            _ => None,
        }
    }
}

/// Where the items of a list answer are: `invoices` → `invoice` → `[…]` for GetInvoices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListPath {
    field: String,
    wrapper: Option<String>,
}

impl ListPath {
    /// The list an action's answer is about, from its spec: the `list<…>` field of a list
    /// action, or of an answer that is that one list and a few counts (GetCurrencies).
    pub(crate) fn of(info: &ActionInfo) -> Option<Self> {
        let spec: Value = serde_json::from_str(info.describe()).ok()?;
        let fields = spec["response"].as_array()?;
        let is_list = |f: &&Value| f["type"].as_str().is_some_and(|t| t.starts_with("list<"));
        let lists: Vec<&Value> = fields.iter().filter(is_list).collect();
        let about_the_list = info.paged() || (lists.len() == 1 && fields.len() <= 4);
        let first = lists.first().filter(|_| about_the_list)?;
        Some(Self {
            field: first["name"].as_str().unwrap_or_default().to_string(),
            wrapper: first["wrapper"].as_str().map(str::to_string),
        })
    }

    /// The items of an answer (none when WHMCS sent an empty string or nothing).
    pub(crate) fn items(&self, answer: &Value) -> Vec<Value> {
        let mut v = &answer[self.field.as_str()];
        if let Some(w) = &self.wrapper {
            v = &v[w.as_str()];
        }
        match v {
            Value::Array(items) => items.clone(),
            Value::Object(map) => map.values().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

/// Prints answers on stdout in the chosen format.
#[derive(Debug)]
pub(crate) struct Printer {
    format: Format,
    pretty: bool,
    out: StdoutLock<'static>,
}

impl Printer {
    /// A printer for `format` (`None`: JSON, pretty only on a terminal).
    pub(crate) fn new(format: Option<Format>) -> Self {
        let stdout = std::io::stdout();
        Self {
            format: format.unwrap_or(Format::Json),
            pretty: stdout.is_terminal(),
            out: stdout.lock(),
        }
    }

    /// The format in use.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    fn json(&mut self, value: &Value, pretty: bool) -> std::io::Result<()> {
        if pretty {
            serde_json::to_writer_pretty(&mut self.out, value)?;
        } else {
            serde_json::to_writer(&mut self.out, value)?;
        }
        self.out.write_all(b"\n")
    }

    /// Prints one answer of `info`.
    pub(crate) fn answer(&mut self, info: &ActionInfo, answer: &Value) -> std::io::Result<()> {
        let list = ListPath::of(info);
        match (self.format, list) {
            (Format::Json, _) => self.json(answer, self.pretty)?,
            (Format::Jsonl, Some(list)) => self.lines(&list.items(answer))?,
            (Format::Jsonl, None) => self.json(answer, false)?,
            (Format::Table, Some(list)) => {
                let items = list.items(answer);
                self.table(&items)?;
                let total = answer["totalresults"].as_u64();
                if let Some(total) = total.filter(|t| *t > items.len() as u64) {
                    note!(
                        "whmcs: {} of {total} shown; --all fetches every page",
                        items.len()
                    );
                }
            }
            (Format::Table, None) => {
                let rows: Vec<Value> = match answer {
                    Value::Object(map) => map
                        .iter()
                        .map(|(k, v)| {
                            let mut row = Map::new();
                            row.insert("key".into(), Value::String(k.clone()));
                            row.insert("value".into(), v.clone());
                            Value::Object(row)
                        })
                        .collect(),
                    other => vec![other.clone()],
                };
                self.table(&rows)?;
            }
        }
        self.out.flush()
    }

    /// Prints items one per line, compact.
    pub(crate) fn lines(&mut self, items: &[Value]) -> std::io::Result<()> {
        for item in items {
            self.json(item, false)?;
        }
        self.out.flush()
    }

    /// Prints every item of a list fetched in full, in this printer's format.
    pub(crate) fn all_items(&mut self, items: &[Value]) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => self.lines(items),
            Format::Json => {
                self.json(&Value::Array(items.to_vec()), self.pretty)?;
                self.out.flush()
            }
            Format::Table => {
                self.table(items)?;
                self.out.flush()
            }
        }
    }

    fn table(&mut self, rows: &[Value]) -> std::io::Result<()> {
        if rows.is_empty() {
            note!("whmcs: no items");
            return Ok(());
        }
        self.out.write_all(table(rows).as_bytes())
    }
}

/// The widest a column gets; longer cells are cut with `…`.
const MAX_CELL: usize = 40;

/// A value as one table cell.
fn cell(v: &Value) -> String {
    let text = match v {
        Value::Null => String::new(),
        Value::String(s) => s.replace(['\n', '\r', '\t'], " "),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    };
    match text.char_indices().nth(MAX_CELL - 1) {
        Some((i, _)) if text.chars().count() > MAX_CELL => format!("{}…", &text[..i]),
        _ => text,
    }
}

/// Rows as aligned columns: one column per key, in the order keys first appear, leaving out
/// columns empty in every row; rows that are not objects make one `value` column.
pub(crate) fn table(rows: &[Value]) -> String {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        match row {
            Value::Object(map) => {
                for k in map.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
            _ => {
                if !columns.iter().any(|c| c == "value") {
                    columns.push("value".into());
                }
            }
        }
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| match row {
                    Value::Object(map) => map.get(c).map(cell).unwrap_or_default(),
                    other if c == "value" => cell(other),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    // A column empty in every row says nothing to a person reading the table.
    let keep: Vec<bool> = (0..columns.len())
        .map(|i| cells.iter().any(|r| !r[i].is_empty()))
        .collect();
    let columns: Vec<String> = columns
        .into_iter()
        .zip(&keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect();
    let cells: Vec<Vec<String>> = cells
        .into_iter()
        .map(|r| {
            r.into_iter()
                .zip(&keep)
                .filter_map(|(c, k)| k.then_some(c))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain(std::iter::once(c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    for row in std::iter::once(&header).chain(cells.iter()) {
        let mut line = String::new();
        for (i, text) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(text);
            let pad = widths[i].saturating_sub(text.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Writes to stdout, a closed pipe being a quiet exit.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Fail::from_io(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_aligns_columns_and_cuts_long_cells() {
        let rows = [
            json!({"id": 1, "status": "Unpaid", "notes": "x".repeat(50), "empty": ""}),
            json!({"id": 12, "status": null, "extra": {"a": 1}, "empty": null}),
        ];
        let text = table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("ID  STATUS  NOTES{}EXTRA", " ".repeat(37))
        );
        assert!(lines[1].starts_with("1   Unpaid  xxxx"));
        assert!(lines[1].contains('…'));
        assert_eq!(
            lines[2].trim_end(),
            format!("12{}{{\"a\":1}}", " ".repeat(52))
        );
    }

    #[test]
    fn scalar_rows_make_one_column() {
        assert_eq!(table(&[json!("a"), json!(2)]), "VALUE\na\n2\n");
    }
}
