//! A PHP-style endpoint on 127.0.0.1 for tests: it parses each form body as PHP's `parse_str`
//! would, records it, and answers with whatever the test scripted.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Map, Value};
use tokio::net::TcpListener;

/// One scripted answer: HTTP status, extra headers and body.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(body: &str) -> Self {
        Self {
            status: 200,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }
}

type Script = Arc<dyn Fn(&Map<String, Value>) -> Answer + Send + Sync>;

pub struct PhpServer {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Map<String, Value>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for PhpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl PhpServer {
    pub async fn start(
        script: impl Fn(&Map<String, Value>) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let rec = received.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (rec, script) = (rec.clone(), script.clone());
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let (rec, script) = (rec.clone(), script.clone());
                            async move {
                                let body = req
                                    .into_body()
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                let params = whmcs_api::parse_str(&String::from_utf8_lossy(&body));
                                rec.lock().expect("lock").push(params.clone());
                                let answer = script(&params);
                                let mut resp =
                                    hyper::Response::new(Full::new(Bytes::from(answer.body)));
                                *resp.status_mut() =
                                    hyper::StatusCode::from_u16(answer.status).expect("status");
                                for (k, v) in answer.headers {
                                    resp.headers_mut().insert(k, v.parse().expect("header"));
                                }
                                Ok::<_, Infallible>(resp)
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Self {
            addr,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    pub fn last(&self) -> Map<String, Value> {
        self.received
            .lock()
            .expect("lock")
            .last()
            .cloned()
            .unwrap_or_default()
    }
}
