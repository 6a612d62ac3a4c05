//! The scripted server of `whmcs-mock` (a PHP-style endpoint on 127.0.0.1 that records each form
//! body as PHP's `$_POST` holds it and answers what the test scripted), with shorthands.

use serde_json::{Map, Value};
use whmcs_mock::{MockServer, Reply, Request};

/// A scripted server; the script sees every form key, credentials included.
pub struct PhpServer(MockServer);

impl PhpServer {
    pub async fn start(
        script: impl Fn(&Map<String, Value>) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let server = MockServer::start_scripted(move |r: &Request| script(&r.params))
            .await
            .expect("start the scripted server");
        Self(server)
    }

    pub fn url(&self) -> String {
        self.0.url()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.0.requests().len()
    }

    /// The last form body received, credentials included.
    pub fn last(&self) -> Map<String, Value> {
        self.0.requests().pop().map(|r| r.form).unwrap_or_default()
    }

    /// Every form body received, credentials included.
    pub fn received(&self) -> Vec<Map<String, Value>> {
        self.0.requests().into_iter().map(|r| r.form).collect()
    }
}

/// A body sent with status 200, as it is.
pub fn json(body: &str) -> Reply {
    Reply::raw(200, body.as_bytes().to_vec())
}
