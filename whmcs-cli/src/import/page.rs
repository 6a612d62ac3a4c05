//! Reading a reference page: the Markdown sections the importer takes its facts from (title,
//! parameter tables, the example request and answer, error list, version history), and the list of
//! actions on the API index page.

/// One row of a parameter table.
#[derive(Debug)]
pub(super) struct Row {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) desc: String,
    pub(super) required: bool,
    pub(super) deprecated: bool,
}

/// The sections of a page the importer reads.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) title: String,
    pub(super) request: Vec<Row>,
    pub(super) response: Vec<Row>,
    pub(super) curl: String,
    pub(super) response_json: String,
    pub(super) errors: Vec<String>,
    pub(super) versions: Vec<(String, String)>,
}

pub(super) fn parse_page(md: &str) -> Page {
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
        // Version rows have two cells, parameter rows three or four.
        let is_row = line.trim_start().starts_with('|')
            && cells.len() >= 2
            && !cells[0].starts_with("---")
            && cells[0] != "Parameter"
            && cells[0] != "Version";
        match section.as_str() {
            "Request Parameters" if is_row && cells.len() >= 4 => page.request.push(row(&cells)),
            "Response Parameters" if is_row && cells.len() >= 3 => page.response.push(row(&cells)),
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
