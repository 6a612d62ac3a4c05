//! OAuth credentials: client identifiers and secrets for apps (authorization code) and for
//! a service's single sign-on.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::authentication::list_oauth_credentials;
use whmcs_api::actions::{
    CreateOAuthCredential, CreateOAuthCredentialError, CreateOAuthCredentialResponse,
    DeleteOAuthCredential, DeleteOAuthCredentialError, DeleteOAuthCredentialResponse,
    ListOAuthCredentials, ListOAuthCredentialsError, ListOAuthCredentialsResponse, OAuthGrantType,
    SortOrder, UpdateOAuthCredential, UpdateOAuthCredentialError, UpdateOAuthCredentialResponse,
};
use whmcs_api::{DateTime, Secret};

use super::codec::md5_hex;
use super::registry::Registry;
use super::{State, Table};

/// The OAuth tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct OAuth {
    pub(crate) credentials: Table<Credential>,
}

/// An OAuth client credential.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Credential {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) grant_type: OAuthGrantType,
    /// Space-separated scopes.
    pub(crate) scope: String,
    pub(crate) identifier: String,
    pub(crate) secret: String,
    /// How many secrets it has had, so a reset gives a new one.
    pub(crate) secret_version: u64,
    /// The service of a single sign-on credential (0 for none).
    pub(crate) service_id: i64,
    pub(crate) logo_uri: String,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

/// The scopes a credential may be given: the client-area scopes single sign-on uses, and the
/// OpenID Connect ones of apps.
const SCOPES: [&str; 18] = [
    "clientarea:sso",
    "clientarea:profile",
    "clientarea:billing_info",
    "clientarea:emails",
    "clientarea:announcements",
    "clientarea:downloads",
    "clientarea:knowledgebase",
    "clientarea:network_status",
    "clientarea:product_details",
    "clientarea:invoices",
    "clientarea:tickets",
    "clientarea:submit_ticket",
    "clientarea:shopping_cart_addons",
    "clientarea:shopping_cart_domain_register",
    "clientarea:shopping_cart_domain_transfer",
    "openid",
    "email",
    "profile",
];

/// The prefix of generated client identifiers (WHMCS uses the company name).
const IDENTIFIER_PREFIX: &str = "MOCK-WHMCS";

impl OAuth {
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "oauth_credential" => Some(self.credentials.contains(id)),
            _ => None,
        }
    }
}

impl Credential {
    fn new_secret(&mut self, id: i64) {
        self.secret_version += 1;
        let seed = format!("secret:{id}:{}:{}", self.secret_version, self.identifier);
        self.secret = format!("{}{}", md5_hex(&seed), md5_hex(&format!("{seed}:2")));
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<CreateOAuthCredential>(create_credential);
    r.read::<ListOAuthCredentials>(list_credentials);
    r.on::<UpdateOAuthCredential>(update_credential);
    r.on::<DeleteOAuthCredential>(delete_credential);
}

/// The scopes of `scope`, or the first one WHMCS does not know.
fn scopes(scope: &str) -> Result<String, String> {
    let list: Vec<&str> = scope.split_whitespace().collect();
    if let Some(bad) = list.iter().find(|s| !SCOPES.contains(s)) {
        return Err((*bad).to_string());
    }
    Ok(list.join(" "))
}

/// Why a credential of this grant type cannot be saved as given, if it cannot.
enum Missing {
    Name,
    Service,
    ServiceInvalid,
    ServiceClientless,
}

fn check_grant(w: &State, grant: &OAuthGrantType, name: &str, service: i64) -> Option<Missing> {
    match grant {
        OAuthGrantType::AuthorizationCode if name.trim().is_empty() => Some(Missing::Name),
        OAuthGrantType::SingleSignOn if service <= 0 => Some(Missing::Service),
        OAuthGrantType::SingleSignOn => match w.orders.services.get(service) {
            None => Some(Missing::ServiceInvalid),
            Some(s) if !w.clients.clients.contains(s.clientid) => Some(Missing::ServiceClientless),
            Some(_) => None,
        },
        _ => None,
    }
}

fn create_credential(
    w: &mut State,
    r: CreateOAuthCredential,
) -> Result<CreateOAuthCredentialResponse, CreateOAuthCredentialError> {
    let scope =
        scopes(&r.scope).map_err(|scope| CreateOAuthCredentialError::InvalidScope { scope })?;
    if scope.is_empty() {
        return Err(CreateOAuthCredentialError::ScopeRequired);
    }
    let name = r.name.unwrap_or_default();
    let service = r.service_id.unwrap_or(0);
    match check_grant(w, &r.grant_type, &name, service) {
        Some(Missing::Name) => return Err(CreateOAuthCredentialError::CredentialNameRequired),
        Some(Missing::Service) => return Err(CreateOAuthCredentialError::SsoServiceIdRequired),
        Some(Missing::ServiceInvalid) => return Err(CreateOAuthCredentialError::InvalidServiceId),
        Some(Missing::ServiceClientless) => {
            return Err(CreateOAuthCredentialError::ServiceHasNoValidClient);
        }
        None => {}
    }
    let now = w.now;
    let n = w.oauth.credentials.len();
    let identifier = format!(
        "{IDENTIFIER_PREFIX}.{}",
        &md5_hex(&format!("identifier:{n}:{now}:{name}"))[..22]
    );
    let id = w.oauth.credentials.insert(Credential {
        name,
        description: r.description.unwrap_or_default(),
        grant_type: r.grant_type,
        scope,
        identifier: identifier.clone(),
        secret: String::new(),
        secret_version: 0,
        service_id: service,
        logo_uri: r.logo_uri.unwrap_or_default(),
        redirect_uris: r
            .redirect_uri
            .map(|u| u.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        created_at: now,
        updated_at: now,
    });
    let secret = match w.oauth.credentials.get_mut(id) {
        Some(c) => {
            c.new_secret(id);
            c.secret.clone()
        }
        None => String::new(),
    };
    w.log(0, format!("OAuth Credential Created - ID: {id}"));
    Ok(CreateOAuthCredentialResponse {
        credential_id: id,
        client_identifier: Some(identifier),
        client_secret: Some(Secret::new(secret)),
        ..Default::default()
    })
}

/// A time as the credential list shows it: `18th November 2016 9:32:24am`.
fn human(at: DateTime) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let d = at.date();
    let (h, m, s) = at.time();
    let suffix = match (d.day() % 10, d.day()) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let month = MONTHS
        .get(usize::from(d.month()).saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let hour = match h % 12 {
        0 => 12,
        x => x,
    };
    let half = if h < 12 { "am" } else { "pm" };
    format!(
        "{}{suffix} {month} {} {hour}:{m:02}:{s:02}{half}",
        d.day(),
        d.year()
    )
}

fn list_credentials(
    w: &State,
    r: ListOAuthCredentials,
) -> Result<ListOAuthCredentialsResponse, ListOAuthCredentialsError> {
    let mut rows: Vec<(i64, &Credential)> = w
        .oauth
        .credentials
        .iter()
        .filter(|(_, c)| r.grant_type.as_ref().is_none_or(|g| *g == c.grant_type))
        .collect();
    let field = r.sort_field.as_deref().unwrap_or("credentialId");
    rows.sort_by_cached_key(|(id, c)| {
        let text = match field {
            "name" => c.name.to_lowercase(),
            "description" => c.description.to_lowercase(),
            "grantTypes" => c.grant_type.to_string(),
            "scope" => c.scope.clone(),
            "clientIdentifier" => c.identifier.clone(),
            "serviceId" => format!("{:020}", c.service_id),
            "createdAt" => c.created_at.to_string(),
            "updatedAt" => c.updated_at.to_string(),
            _ => String::new(),
        };
        (text, *id)
    });
    if r.sort_order == Some(SortOrder::Desc) {
        rows.reverse();
    }
    if let Some(limit) = r.limit.filter(|l| *l > 0) {
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    let clients = rows
        .into_iter()
        .map(|(id, c)| list_oauth_credentials::OAuthCredential {
            credential_id: Some(id),
            name: Some(c.name.clone()),
            description: Some(c.description.clone()),
            grant_types: Some(c.grant_type.to_string()),
            scope: Some(c.scope.clone()),
            client_identifier: Some(c.identifier.clone()),
            client_secret: Some(Secret::new(c.secret.clone())),
            service_id: Some(c.service_id),
            logo_uri: Some(c.logo_uri.clone()),
            redirect_uri: c.redirect_uris.clone(),
            rsa_key_pair_id: Some(0),
            created_at: Some(human(c.created_at)),
            updated_at: Some(human(c.updated_at)),
            ..Default::default()
        })
        .collect();
    Ok(ListOAuthCredentialsResponse {
        clients,
        ..Default::default()
    })
}

fn update_credential(
    w: &mut State,
    r: UpdateOAuthCredential,
) -> Result<UpdateOAuthCredentialResponse, UpdateOAuthCredentialError> {
    let id = r.credential_id;
    if let Some(ident) = r.client_api_identifier.as_deref().filter(|i| !i.is_empty())
        && !w
            .oauth
            .credentials
            .iter()
            .any(|(_, c)| c.identifier == ident)
    {
        return Err(UpdateOAuthCredentialError::InvalidClientIdentifier);
    }
    let c = w
        .oauth
        .credentials
        .get(id)
        .ok_or(UpdateOAuthCredentialError::InvalidCredentialId)?;
    let scope = match &r.scope {
        Some(s) => scopes(s).map_err(|scope| UpdateOAuthCredentialError::InvalidScope { scope })?,
        None => c.scope.clone(),
    };
    let grant = r.grant_type.clone().unwrap_or_else(|| c.grant_type.clone());
    let name = r.name.clone().unwrap_or_else(|| c.name.clone());
    let service = r.service_id.unwrap_or(c.service_id);
    match check_grant(w, &grant, &name, service) {
        Some(Missing::Name) => return Err(UpdateOAuthCredentialError::CredentialNameRequired),
        Some(_) => return Err(UpdateOAuthCredentialError::SsoServiceIdRequired),
        None => {}
    }
    let now = w.now;
    let Some(c) = w.oauth.credentials.get_mut(id) else {
        return Err(UpdateOAuthCredentialError::InvalidCredentialId);
    };
    c.scope = scope;
    c.grant_type = grant;
    c.name = name;
    c.service_id = service;
    if let Some(v) = r.description {
        c.description = v;
    }
    if let Some(v) = r.logo_uri {
        c.logo_uri = v;
    }
    if let Some(v) = r.redirect_uri {
        c.redirect_uris = v.split_whitespace().map(str::to_string).collect();
    }
    let reset = r.reset_secret.unwrap_or(false);
    if reset {
        c.new_secret(id);
    }
    c.updated_at = now;
    let secret = reset.then(|| Secret::new(c.secret.clone()));
    w.log(0, format!("OAuth Credential Updated - ID: {id}"));
    Ok(UpdateOAuthCredentialResponse {
        credential_id: Some(id),
        new_client_secret: secret,
        ..Default::default()
    })
}

fn delete_credential(
    w: &mut State,
    r: DeleteOAuthCredential,
) -> Result<DeleteOAuthCredentialResponse, DeleteOAuthCredentialError> {
    w.oauth
        .credentials
        .remove(r.credential_id)
        .ok_or(DeleteOAuthCredentialError::InvalidCredentialId)?;
    w.log(
        0,
        format!("OAuth Credential Deleted - ID: {}", r.credential_id),
    );
    Ok(DeleteOAuthCredentialResponse {
        credential_id: Some(r.credential_id),
        ..Default::default()
    })
}
