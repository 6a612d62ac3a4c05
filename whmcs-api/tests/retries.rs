//! Retry rules by side-effect class, counted at the server: reads are retried on transient
//! failures, writes never once the request may have arrived; connections that never opened are
//! retried for every class.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::server::{PhpServer, json};
use whmcs_api::{Client, Error, RetryPolicy, TransportKind};
use whmcs_mock::Reply;

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
        max_elapsed: Duration::from_secs(10),
    }
}

fn client(url: &str, timeout: Duration) -> Client {
    Client::builder()
        .url(url)
        .api_credentials("id", "secret")
        .retry(fast_retries())
        .timeout(timeout)
        .build()
        .expect("client")
}

/// Answers with `first` for the first `n` requests, then with a WHMCS success.
async fn failing_first(n: usize, first: Reply) -> (PhpServer, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let s = seen.clone();
    let server = PhpServer::start(move |_| {
        if s.fetch_add(1, Ordering::SeqCst) < n {
            first.clone()
        } else {
            json(r#"{"result":"success","totalresults":0}"#)
        }
    })
    .await;
    (server, seen)
}

fn status(code: u16, body: &str) -> Reply {
    Reply::raw(code, body.as_bytes().to_vec())
}

#[tokio::test]
async fn reads_are_retried_on_gateway_errors_and_rate_limits() {
    for code in [429, 502, 503, 504] {
        let (server, seen) = failing_first(
            2,
            status(code, "<html><body><h1>Bad Gateway</h1></body></html>"),
        )
        .await;
        let r = client(&server.url(), Duration::from_secs(5))
            .get_invoices()
            .await;
        assert!(r.is_ok(), "{code}: {r:?}");
        assert_eq!(
            seen.load(Ordering::SeqCst),
            3,
            "{code}: two failures and the success"
        );
    }
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let busy = Reply::raw(429, b"slow down".to_vec()).with_header("retry-after", "1");
    let (server, seen) = failing_first(1, busy).await;
    let started = Instant::now();
    client(&server.url(), Duration::from_secs(5))
        .get_invoices()
        .await
        .expect("second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(seen.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn writes_destructive_and_financial_calls_are_never_sent_twice() {
    let (server, seen) = failing_first(5, status(503, "<html>Service Unavailable</html>")).await;
    let c = client(&server.url(), Duration::from_secs(5));
    let write = c.add_cancel_request(1).await.expect_err("503");
    let destructive = c.delete_client(1).await.expect_err("503");
    let financial = c.add_order(1, "mailin").pid([1]).await.expect_err("503");
    assert_eq!(seen.load(Ordering::SeqCst), 3, "one request per call");
    for e in [
        write.to_string(),
        destructive.to_string(),
        financial.to_string(),
    ] {
        assert!(
            e.contains("the request may have been applied; not retried"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn timeouts_retry_reads_but_not_writes() {
    let seen = Arc::new(AtomicUsize::new(0));
    let s = seen.clone();
    // A server that accepts and then never answers in time.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            s.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    let c = client(&url, Duration::from_millis(200));
    let e = c.get_invoices().await.expect_err("timeout");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::Timeout && t.attempts() == 3),
        "{e}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 3);
    let e = c
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid: 1,
            transid: "T",
            gateway: "mailin",
            date: "2026-01-01 00:00:00".parse().expect("datetime"),
        })
        .await
        .expect_err("timeout");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::Timeout && t.attempts() == 1 && t.maybe_applied()),
        "{e}"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn connections_that_never_opened_are_retried_for_every_class() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    drop(listener);
    let c = client(&url, Duration::from_secs(2));
    let e = c
        .add_order(1, "mailin")
        .pid([1])
        .await
        .expect_err("refused");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::Connect && t.attempts() == 3 && !t.maybe_applied()),
        "{e}"
    );
    assert!(!e.to_string().contains("may have been applied"));
}

#[tokio::test]
async fn retries_stop_within_the_time_budget() {
    let (server, seen) = failing_first(100, status(503, "down")).await;
    let policy = RetryPolicy {
        max_attempts: 50,
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(100),
        max_elapsed: Duration::from_millis(300),
    };
    let c = Client::builder()
        .url(server.url())
        .api_credentials("i", "s")
        .retry(policy)
        .build()
        .expect("client");
    let started = Instant::now();
    c.get_invoices().await.expect_err("always 503");
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "took {:?}",
        started.elapsed()
    );
    let n = seen.load(Ordering::SeqCst);
    assert!((2..=6).contains(&n), "{n} attempts");
}

#[tokio::test]
async fn whmcs_error_answers_are_final() {
    let (server, seen) = failing_first(
        5,
        status(
            503,
            r#"{"result":"error","message":"Service ID Not Found"}"#,
        ),
    )
    .await;
    let e = client(&server.url(), Duration::from_secs(2))
        .get_invoices()
        .await
        .expect_err("error");
    assert!(e.is_api(), "{e:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}
