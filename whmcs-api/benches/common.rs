//! Shared pieces of the benchmarks: synthetic answers shaped like the reference examples, and
//! reading criterion's medians back to print ratios.

#![allow(dead_code)]

use std::fmt::Write as _;

/// A GetInvoices answer with `n` invoices, shaped like the reference example: money as strings,
/// zero dates, and some numbers sent as strings, as real installations do.
pub fn invoices_body(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 900);
    let _ = write!(
        out,
        r#"{{"result":"success","totalresults":{n},"startnumber":0,"numreturned":{n},"invoices":{{"invoice":["#
    );
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        let id = i + 1;
        // Every third id arrives as a string, as older installations send it.
        let id_text = if i % 3 == 0 {
            format!("\"{id}\"")
        } else {
            id.to_string()
        };
        let cents = 995 + (i * 37) % 100_000;
        let total = format!("{}.{:02}", cents / 100, cents % 100);
        let paid = if i % 2 == 0 {
            "0000-00-00 00:00:00".to_string()
        } else {
            format!("2016-01-{:02} 14:06:34", 1 + i % 28)
        };
        let status = ["Unpaid", "Paid", "Cancelled", "Refunded"][i % 4];
        let _ = write!(
            out,
            r#"{{"id":{id_text},"userid":{},"firstname":"Test","lastname":"Client {i}","companyname":"","invoicenum":"","date":"2016-01-01","duedate":"2016-01-08","datepaid":"{paid}","last_capture_attempt":"0000-00-00 00:00:00","date_refunded":"0000-00-00 00:00:00","date_cancelled":"0000-00-00 00:00:00","subtotal":"{total}","credit":"0.00","tax":"0.00","tax2":"0.00","total":"{total}","taxrate":"0.000","taxrate2":"0.000","status":"{status}","paymentmethod":"paypalcheckout","paymethodid":null,"notes":"","created_at":"2016-01-08 14:06:34","updated_at":"2016-01-08 14:07:17","currencycode":"USD","currencyprefix":"$","currencysuffix":" USD"}}"#,
            1 + i % 500
        );
    }
    out.push_str("]}}");
    out.into_bytes()
}

/// The median time (ns) criterion measured for `group/id`, from its saved estimates.
pub fn median_ns(group: &str, id: &str) -> Option<f64> {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let path = format!("{dir}/criterion/{group}/{id}/new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Prints `a` relative to `b` ("2.31× faster" or "0.90× the speed").
pub fn ratio(label: &str, group: &str, a: &str, b: &str, target: &str) {
    match (median_ns(group, a), median_ns(group, b)) {
        (Some(ta), Some(tb)) => println!(
            "{label}: {:.2}× ({a} {:.2} ms vs {b} {:.2} ms; target {target})",
            tb / ta,
            ta / 1e6,
            tb / 1e6
        ),
        _ => println!("{label}: no measurement found (run the whole bench)"),
    }
}
