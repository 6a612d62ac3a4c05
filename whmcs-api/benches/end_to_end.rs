//! End to end over loopback: calls per second of the typed client against raw `reqwest` posting
//! the same form and parsing into `serde_json::Value`, sharing one connection pool, against a
//! minimal local server. `cargo bench -p whmcs-api --bench end_to_end --features mock`.

mod common;

use std::convert::Infallible;
use std::hint::black_box;

use criterion::Criterion;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use whmcs_api::actions::GetInvoices;
use whmcs_api::{Action, Client, Form};

async fn server(body: Vec<u8>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let body = Bytes::from(body);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let body = body.clone();
                        async move {
                            let _ = req.into_body().collect().await;
                            Ok::<_, Infallible>(hyper::Response::new(Full::new(body)))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    addr
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body = common::invoices_body(25);
    let addr = rt.block_on(server(body));
    let url = format!("http://{addr}/includes/api.php");
    let pool = whmcs_api::reqwest_builder().build().expect("http client");
    let client = Client::builder()
        .url(url.clone())
        .api_credentials("id", "secret")
        .http_client(pool.clone())
        .build()
        .expect("client");

    // The raw call sends exactly what the typed client sends.
    let mut form = Form::new();
    form.pair("action", "GetInvoices");
    form.pair("identifier", "id");
    form.pair("secret", "secret");
    let mut params = Form::new();
    GetInvoices::new().limitnum(25).encode(&mut params);
    let raw_body = format!("{}&{}&responsetype=json", form.as_str(), params.as_str());

    let typed = || async {
        client
            .execute(GetInvoices::new().limitnum(25))
            .await
            .map(|r| r.invoices.len())
    };
    let raw = || async {
        let resp = pool
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(raw_body.clone())
            .send()
            .await?;
        let bytes = resp.bytes().await?;
        Ok::<_, reqwest::Error>(
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .map(|v| v.is_object())
                .unwrap_or(false),
        )
    };
    assert_eq!(rt.block_on(typed()).expect("typed call"), 25);
    assert!(rt.block_on(raw()).expect("raw call"));

    let mut c = Criterion::default().configure_from_args().sample_size(50);
    let mut g = c.benchmark_group("end_to_end");
    g.bench_function("typed", |b| b.iter(|| rt.block_on(typed()).map(black_box)));
    g.bench_function("raw_reqwest_value", |b| {
        b.iter(|| rt.block_on(raw()).map(black_box))
    });
    g.finish();
    c.final_summary();
    println!();
    common::ratio(
        "typed client vs raw reqwest + Value (calls/s)",
        "end_to_end",
        "typed",
        "raw_reqwest_value",
        "≥ 0.95×",
    );
}
