//! Actions declared in this (user) crate go through the same client, over HTTP, against the
//! embedded mock: request checked against its spec, answer typed, errors typed, and the shapes
//! of the crate's own `specs/types/` shared between its actions.

use whmcs_api::{Action, Error};
use whmcs_examples::GetLicenseUsage;
use whmcs_mock::{MockConfig, MockServer};

#[tokio::test]
async fn a_user_declared_action_works_like_a_built_in_one() {
    let mock = MockServer::start_with(MockConfig::default().with_action::<GetLicenseUsage>())
        .await
        .expect("mock");
    let client = mock.client().expect("client");
    let usage = client
        .execute(GetLicenseUsage::new("LIC-1234-ABCD").include_hosts(true))
        .await
        .expect("call");
    assert_eq!(usage.serviceid, Some(12));
    assert_eq!(usage.max_activations, Some(5));
    assert_eq!(
        usage.expires.map(|d| d.to_string()).as_deref(),
        Some("2027-03-31")
    );
    assert_eq!(usage.hosts.len(), 2);
    assert_eq!(usage.hosts[1].last_seen, None);
    assert_eq!(GetLicenseUsage::INFO.name(), "GetLicenseUsage");
    assert!(!format!("{:?}", GetLicenseUsage::new("LIC-SECRET")).contains("LIC-SECRET"));

    // The same client reports its documented errors as typed variants.
    let err = whmcs_api::decode_response::<GetLicenseUsage>(
        br#"{"result":"error","message":"License LIC-9 is suspended"}"#,
    );
    assert!(
        matches!(err, Err(Error::Api { error: whmcs_examples::GetLicenseUsageError::LicenseSuspended { ref key }, .. }) if key == "LIC-9"),
        "{err:?}"
    );

    // Without registering it, the mock does not know the action, as WHMCS would not.
    let plain = MockServer::start().await.expect("mock");
    let unknown = plain
        .client()
        .expect("client")
        .execute(GetLicenseUsage::new("x"))
        .await;
    assert!(
        matches!(unknown, Err(Error::Api { error: whmcs_examples::GetLicenseUsageError::Unknown(ref m), .. }) if m == "Command Not Found"),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn two_user_actions_share_one_generated_type() {
    use whmcs_examples::GetLicenseHosts;
    use whmcs_examples::types::{LicenseHost, LicenseStatus};

    let mock = MockServer::start_with(
        MockConfig::default()
            .with_action::<GetLicenseUsage>()
            .with_action::<GetLicenseHosts>(),
    )
    .await
    .expect("mock");
    let client = mock.client().expect("client");
    let usage = client
        .execute(GetLicenseUsage::new("LIC-1234-ABCD").include_hosts(true))
        .await
        .expect("GetLicenseUsage");
    let hosts = client
        .execute(GetLicenseHosts::new("LIC-1234-ABCD"))
        .await
        .expect("GetLicenseHosts");

    // Both answers hold the one `LicenseHost` of `specs/types/licensing.toml`: the lists chain
    // and compare as the same type, and so does the shared enum.
    let all: Vec<LicenseHost> = usage.hosts.into_iter().chain(hosts.hosts).collect();
    assert_eq!(
        all.iter()
            .map(|h| h.hostname.as_deref())
            .collect::<Vec<_>>(),
        [
            Some("web1.example.net"),
            Some("web2.example.net"),
            Some("web3.example.net")
        ]
    );
    assert_eq!(usage.status, Some(LicenseStatus::Active));
    assert_eq!(hosts.status, Some(LicenseStatus::Suspended));
    assert_eq!(
        all[2].last_seen.map(|d| d.to_string()).as_deref(),
        Some("2026-11-21 10:00:00")
    );
}
