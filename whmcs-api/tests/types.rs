//! The types users compute with: money by value, dates that convert, created ids without
//! `Option`, comma-joined lists, one enum per concept, pages as a stream, erased errors.

use futures_util::StreamExt as _;
use whmcs_api::actions::{
    AddClient, AddClientRequired, AddOrder, CreateInvoice, GetInvoices, InvoiceStatus, OpenTicket,
};
use whmcs_api::{Decimal, Error, decode_response};
use whmcs_mock::MockServer;

fn money(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[test]
fn money_compares_orders_and_adds_by_value() {
    assert_eq!(money("10.00"), Decimal::from(10));
    assert!(money("0.01") > Decimal::ZERO);
    assert!(money("-5") < money("0.00"));
    let total: Decimal = ["15.95", "1.00", "0.05"].iter().map(|s| money(s)).sum();
    assert_eq!(total, money("17.00"));
    assert_eq!(total.to_string(), "17.00");
    assert_eq!((money("15.95") * Decimal::from(3)).to_string(), "47.85");
    assert_eq!(format!("{:?}", money("15.95")), "15.95");
    // Decoded amounts keep their text and their value.
    let r = decode_response::<GetInvoices>(
        br#"{"result":"success","invoices":{"invoice":[{"id":1,"total":"15.950","credit":12.5}]}}"#,
    )
    .expect("decodes");
    assert_eq!(r.invoices[0].total, Some(money("15.95")));
    assert_eq!(
        r.invoices[0].total.map(|t| t.to_string()).as_deref(),
        Some("15.950")
    );
    assert_eq!(r.invoices[0].credit, Some(money("12.5")));
}

#[test]
fn created_ids_are_plain_values_and_their_absence_is_a_clear_error() {
    let ok = decode_response::<AddClient>(br#"{"result":"success","clientid":"7"}"#).expect("ok");
    let id: i64 = ok.clientid;
    assert_eq!(id, 7);
    let ok = decode_response::<OpenTicket>(br#"{"result":"success","id":3,"tid":"ABC-1","c":"x"}"#)
        .expect("ok");
    assert_eq!((ok.id, ok.tid.as_str()), (3, "ABC-1"));
    for body in [
        &br#"{"result":"success"}"#[..],
        br#"{"result":"success","clientid":""}"#,
        br#"{"result":"success","clientid":"n/a"}"#,
    ] {
        let e = decode_response::<AddClient>(body).expect_err("no id");
        assert!(
            matches!(&e, Error::Decode(d) if d.reason().contains("`clientid`")),
            "{e}"
        );
    }
    let e = decode_response::<CreateInvoice>(br#"{"result":"success","status":"Unpaid"}"#)
        .expect_err("no id");
    assert!(e.to_string().contains("`invoiceid`"), "{e}");
    // An error answer is an API error, not a missing id.
    let e = decode_response::<AddClient>(
        br#"{"result":"error","message":"You did not enter your email address"}"#,
    )
    .expect_err("error");
    assert!(e.is_api(), "{e}");
}

#[test]
fn comma_lists_decode_and_encode_back_unchanged() {
    for (text, ids) in [("4,6", vec![4, 6]), ("9", vec![9]), ("", vec![])] {
        let body = format!(r#"{{"result":"success","orderid":1,"serviceids":"{text}"}}"#);
        let r = decode_response::<AddOrder>(body.as_bytes()).expect("decodes");
        assert_eq!(r.serviceids, ids, "{text}");
        let back = serde_json::to_value(&r).expect("serializes");
        assert_eq!(back["serviceids"], serde_json::json!(text), "{text}");
    }
    // Text that would not come back the same stays raw, and still comes back.
    let r = decode_response::<AddOrder>(br#"{"result":"success","orderid":1,"serviceids":"4, 6"}"#)
        .expect("decodes");
    assert!(r.serviceids.is_empty());
    assert_eq!(serde_json::to_value(&r).expect("ser")["serviceids"], "4, 6");
}

#[test]
fn erased_errors_keep_variant_and_message() {
    use whmcs_api::actions::AddCancelRequest;
    let e = decode_response::<AddCancelRequest>(
        br#"{"result":"error","message":"service id not found"}"#,
    )
    .expect_err("error");
    assert_eq!(e.message(), Some("service id not found"));
    assert_eq!(e.to_string(), "WHMCS error: service id not found");
    let erased = e.erase();
    let api = erased.api().expect("api");
    assert_eq!(api.variant, "ServiceIdNotFound");
    assert_eq!(api.message, "service id not found");
    // Errors of two actions fit one type.
    let other = decode_response::<AddClient>(br#"{"result":"error","message":"Oops"}"#)
        .expect_err("error")
        .erase();
    let all: Vec<Error<whmcs_api::ErrorMessage>> = vec![erased, other];
    assert_eq!(all[1].api().map(|m| m.variant.as_str()), Some("Unknown"));
}

#[tokio::test]
async fn a_status_from_one_answer_filters_the_next_call_and_pages_stream() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let added = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "ada@example.com",
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .await
        .expect("client");
    for n in 0..5 {
        let item = whmcs_api::actions::billing::create_invoice::InvoiceItem::new(
            format!("line {n}"),
            money("1.50"),
        );
        client
            .create_invoice(added.clientid)
            .items([item])
            .await
            .expect("invoice");
    }
    let first = client.get_invoices().limitnum(1).await.expect("list");
    let status: InvoiceStatus = first.invoices[0].status.clone().expect("status");
    assert_eq!(status, InvoiceStatus::Unpaid);
    // The status read from one answer is the next call's filter.
    let mut stream = client.get_invoices().status(status).pages(2);
    let mut seen = Vec::new();
    while let Some(invoice) = stream.next().await {
        let invoice = invoice.expect("invoice");
        assert_eq!(invoice.total, Some(money("1.50")));
        seen.push(invoice.id.expect("id"));
    }
    assert_eq!(seen.len(), 5);
    // Through `StreamExt` combinators too.
    let totals: Vec<Decimal> = client
        .get_invoices()
        .pages(3)
        .map(|r| r.expect("invoice").total.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(totals.iter().copied().sum::<Decimal>(), money("7.50"));
}

#[cfg(all(feature = "chrono", feature = "time", feature = "jiff"))]
#[test]
fn dates_convert_both_ways() {
    use whmcs_api::{Date, DateTime};
    let d: Date = "2024-02-29".parse().expect("date");
    let t: DateTime = "2024-02-29 23:59:58".parse().expect("datetime");
    let c: chrono::NaiveDate = d.into();
    assert_eq!(c.to_string(), "2024-02-29");
    assert_eq!(Date::try_from(c), Ok(d));
    let ct: chrono::NaiveDateTime = t.into();
    assert_eq!(DateTime::try_from(ct), Ok(t));
    let td: time::Date = d.into();
    assert_eq!(Date::try_from(td), Ok(d));
    let tt: time::PrimitiveDateTime = t.into();
    assert_eq!(DateTime::try_from(tt), Ok(t));
    let jd: jiff::civil::Date = d.into();
    assert_eq!(jd.to_string(), "2024-02-29");
    assert_eq!(Date::try_from(jd), Ok(d));
    let jt: jiff::civil::DateTime = t.into();
    assert_eq!(DateTime::try_from(jt), Ok(t));
    // Dates WHMCS cannot hold are refused, not wrapped.
    let ancient = chrono::NaiveDate::from_ymd_opt(-44, 3, 15).expect("date");
    assert!(Date::try_from(ancient).is_err());
    assert!(d < "2024-03-01".parse::<Date>().expect("date"));
    assert_eq!(format!("{d:?}"), "2024-02-29");
}
