//! Users: the logins that reach client accounts, one of them each account's owner, with
//! per-account permissions for the others; their passwords (kept only as salted hashes),
//! invitations, password resets, and single sign-on tokens.

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use whmcs_api::actions::users::get_users;
use whmcs_api::actions::{
    AddUser, AddUserError, AddUserResponse, CreateClientInvite, CreateClientInviteError,
    CreateClientInviteResponse, CreateSsoToken, CreateSsoTokenError, CreateSsoTokenResponse,
    DeleteUserClient, DeleteUserClientError, DeleteUserClientResponse, GetClientPassword,
    GetClientPasswordError, GetClientPasswordResponse, GetPermissionsList, GetPermissionsListError,
    GetPermissionsListResponse, GetUserPermissions, GetUserPermissionsError,
    GetUserPermissionsResponse, GetUsers, GetUsersError, GetUsersResponse, ResetPassword,
    ResetPasswordError, ResetPasswordResponse, SortOrder, UpdateUser, UpdateUserError,
    UpdateUserPermissions, UpdateUserPermissionsError, UpdateUserPermissionsResponse,
    UpdateUserResponse, UserPermission, ValidateLogin, ValidateLoginError, ValidateLoginResponse,
};
use whmcs_api::{DateTime, Secret};

use super::codec::{hex, md5_hex, valid_email};
use super::registry::Registry;
use super::{State, page};

/// A user: a login that can reach one or more client accounts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) email: String,
    /// The client accounts the user reaches (owned or invited to).
    pub(crate) clients: Vec<i64>,
    #[serde(default)]
    pub(crate) language: String,
    #[serde(default)]
    pub(crate) datecreated: Option<DateTime>,
    /// The password, salted and hashed; `None` until one is set (no login succeeds).
    #[serde(default)]
    pub(crate) password: Option<PasswordHash>,
    /// What the user may do on each account it does not own (the owner may do everything).
    #[serde(default)]
    pub(crate) permissions: BTreeMap<i64, Vec<String>>,
    #[serde(default)]
    pub(crate) last_login: Option<DateTime>,
    /// Logins so far, which makes each session token different.
    #[serde(default)]
    pub(crate) logins: u64,
    /// When a password reset was last started (ResetPassword).
    #[serde(default)]
    pub(crate) reset_requested: Option<DateTime>,
}

/// A password as stored: a salt and the hex digest of the salted password, stretched.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PasswordHash {
    pub(crate) salt: String,
    pub(crate) hash: String,
}

/// How many times the salted password is digested.
const ROUNDS: usize = 1000;

impl PasswordHash {
    /// Hashes `password` with a salt made from `seed` (unique per user and change).
    fn new(seed: &str, password: &str) -> Self {
        let salt = md5_hex(&format!("salt:{seed}"))[..16].to_string();
        let hash = stretch(&salt, password);
        Self { salt, hash }
    }

    /// Whether `password` is the one hashed, compared without stopping at the first difference.
    fn verify(&self, password: &str) -> bool {
        let given = stretch(&self.salt, password);
        given.len() == self.hash.len()
            && given
                .bytes()
                .zip(self.hash.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// The form GetClientPassword shows: scheme, rounds, salt and digest.
    fn encoded(&self) -> String {
        format!("$mock-md5${ROUNDS}${}${}", self.salt, self.hash)
    }
}

fn stretch(salt: &str, password: &str) -> String {
    let mut digest = Md5::new()
        .chain_update(salt)
        .chain_update(password)
        .finalize();
    for _ in 0..ROUNDS {
        digest = Md5::new()
            .chain_update(digest)
            .chain_update(salt)
            .chain_update(password)
            .finalize();
    }
    hex(&digest)
}

/// An invitation to manage a client account, waiting for the invitee.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Invite {
    pub(crate) client: i64,
    pub(crate) email: String,
    pub(crate) permissions: Vec<String>,
    pub(crate) token: String,
    pub(crate) created: DateTime,
}

/// A single sign-on token, valid for 60 seconds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SsoToken {
    pub(crate) token: String,
    /// The account it signs in to (`None` for a user without one).
    pub(crate) client: Option<i64>,
    pub(crate) user: i64,
    pub(crate) destination: String,
    pub(crate) created: DateTime,
}

/// Where the mock's WHMCS says it lives, for the URLs it hands out.
pub(crate) const SYSTEM_URL: &str = "https://whmcs.mock.invalid/";

/// Every permission that can be granted to a user on an account, in WHMCS's order.
pub(crate) const PERMISSIONS: [&str; 13] = [
    "profile",
    "contacts",
    "products",
    "manageproducts",
    "productsso",
    "domains",
    "managedomains",
    "invoices",
    "quotes",
    "tickets",
    "affiliates",
    "emails",
    "orders",
];

/// The client-area places a single sign-on token may land on.
pub(crate) const DESTINATIONS: [&str; 20] = [
    "clientarea:homepage",
    "clientarea:profile",
    "clientarea:billing_info",
    "clientarea:emails",
    "clientarea:announcements",
    "clientarea:downloads",
    "clientarea:knowledgebase",
    "clientarea:network_status",
    "clientarea:services",
    "clientarea:product_details",
    "clientarea:domains",
    "clientarea:domain_details",
    "clientarea:invoices",
    "clientarea:tickets",
    "clientarea:submit_ticket",
    "clientarea:shopping_cart",
    "clientarea:shopping_cart_addons",
    "clientarea:shopping_cart_domain_register",
    "clientarea:shopping_cart_domain_transfer",
    "sso:custom_redirect",
];

/// Adds a user and returns its id; `password` is hashed, never kept.
pub(crate) fn new_user(
    w: &mut State,
    firstname: &str,
    lastname: &str,
    email: &str,
    password: Option<&str>,
    language: &str,
) -> i64 {
    let now = w.now;
    let id = w.clients.users.insert(User {
        firstname: firstname.to_string(),
        lastname: lastname.to_string(),
        email: email.to_string(),
        clients: Vec::new(),
        language: language.to_string(),
        datecreated: Some(now),
        password: None,
        permissions: BTreeMap::new(),
        last_login: None,
        logins: 0,
        reset_requested: None,
    });
    if let Some(p) = password
        && let Some(u) = w.clients.users.get_mut(id)
    {
        u.password = Some(PasswordHash::new(&format!("{id}:{email}:{now}"), p));
    }
    id
}

/// The permissions in a comma-joined list that WHMCS knows, in its order, without repeats.
fn parse_permissions(list: &str) -> Vec<String> {
    let given: Vec<String> = list
        .split(',')
        .map(|p| p.trim().to_ascii_lowercase())
        .collect();
    PERMISSIONS
        .iter()
        .filter(|p| given.iter().any(|g| g == *p))
        .map(|p| (*p).to_string())
        .collect()
}

impl State {
    /// The user with this login address (any case).
    fn user_by_email(&self, email: &str) -> Option<(i64, &User)> {
        self.clients
            .users
            .iter()
            .find(|(_, u)| u.email.eq_ignore_ascii_case(email.trim()))
    }

    /// Whether `user` owns client `client`.
    fn owns(&self, user: i64, client: i64) -> bool {
        self.clients
            .clients
            .get(client)
            .is_some_and(|c| c.owner_user_id == user)
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddUser>(add_user);
    r.read::<GetUsers>(get_users);
    r.on::<UpdateUser>(update_user);
    r.on::<DeleteUserClient>(delete_user_client);
    r.on::<CreateClientInvite>(create_client_invite);
    r.stateless::<GetPermissionsList>(
        "the fixed list of permissions WHMCS can grant, the same on every installation",
        get_permissions_list,
    );
    r.read::<GetUserPermissions>(get_user_permissions);
    r.on::<UpdateUserPermissions>(update_user_permissions);
    r.on::<ResetPassword>(reset_password);
    r.on::<ValidateLogin>(validate_login);
    r.on::<CreateSsoToken>(create_sso_token);
    r.read::<GetClientPassword>(get_client_password);
}

fn add_user(w: &mut State, r: AddUser) -> Result<AddUserResponse, AddUserError> {
    if !valid_email(&r.email) {
        return Err(AddUserError::InvalidEmailAddress);
    }
    if w.user_by_email(&r.email).is_some() {
        return Err(AddUserError::UserEmailExists);
    }
    let id = new_user(
        w,
        &r.firstname,
        &r.lastname,
        &r.email,
        Some(r.password2.expose()),
        r.language.as_deref().unwrap_or_default(),
    );
    w.log(0, format!("Created User - User ID: {id}"));
    Ok(AddUserResponse {
        user_id: id,
        ..Default::default()
    })
}

fn get_users(w: &State, r: GetUsers) -> Result<GetUsersResponse, GetUsersError> {
    let search = r
        .search
        .as_deref()
        .map(str::to_lowercase)
        .filter(|s| !s.is_empty());
    let mut rows: Vec<get_users::User> = w
        .clients
        .users
        .iter()
        .filter(|(_, u)| {
            search.as_ref().is_none_or(|s| {
                [
                    u.email.clone(),
                    u.firstname.clone(),
                    u.lastname.clone(),
                    format!("{} {}", u.firstname, u.lastname),
                ]
                .iter()
                .any(|f| f.to_lowercase().starts_with(s.as_str()))
            })
        })
        .map(|(id, u)| get_users::User {
            id: Some(id),
            firstname: Some(u.firstname.clone()),
            lastname: Some(u.lastname.clone()),
            email: Some(u.email.clone()),
            datecreated: u.datecreated,
            validationdata: Some(String::new()),
            clients: u
                .clients
                .iter()
                .map(|c| get_users::UserClientLink {
                    id: Some(*c),
                    is_owner: Some(w.owns(id, *c)),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    if r.sorting == Some(SortOrder::Desc) {
        rows.reverse();
    }
    let (total, start, users) = page(rows, r.limitstart, r.limitnum);
    Ok(GetUsersResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(users.len() as i64),
        users,
        ..Default::default()
    })
}

fn update_user(w: &mut State, r: UpdateUser) -> Result<UpdateUserResponse, UpdateUserError> {
    if !w.clients.users.contains(r.user_id) {
        return Err(UpdateUserError::InvalidUserId);
    }
    if let Some(email) = &r.email {
        if !valid_email(email) {
            return Err(UpdateUserError::InvalidEmailAddress);
        }
        if w.user_by_email(email)
            .is_some_and(|(id, _)| id != r.user_id)
        {
            return Err(UpdateUserError::UserEmailExists);
        }
    }
    let u = w
        .clients
        .users
        .get_mut(r.user_id)
        .ok_or(UpdateUserError::InvalidUserId)?;
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut u.firstname, r.firstname);
    set(&mut u.lastname, r.lastname);
    set(&mut u.email, r.email);
    set(&mut u.language, r.language);
    w.log(0, format!("Modified User - User ID: {}", r.user_id));
    Ok(UpdateUserResponse {
        user_id: Some(r.user_id),
        ..Default::default()
    })
}

fn delete_user_client(
    w: &mut State,
    r: DeleteUserClient,
) -> Result<DeleteUserClientResponse, DeleteUserClientError> {
    if !w.clients.clients.contains(r.client_id) {
        return Err(DeleteUserClientError::InvalidClientId);
    }
    let linked = w
        .clients
        .users
        .get(r.user_id)
        .ok_or(DeleteUserClientError::InvalidUserId)?
        .clients
        .contains(&r.client_id);
    if !linked {
        return Err(DeleteUserClientError::UserNotAssociatedWithClient);
    }
    if w.owns(r.user_id, r.client_id) {
        return Err(DeleteUserClientError::CannotRemoveAccountOwner);
    }
    if let Some(u) = w.clients.users.get_mut(r.user_id) {
        u.clients.retain(|c| *c != r.client_id);
        u.permissions.remove(&r.client_id);
    }
    w.log(
        r.client_id,
        format!(
            "Removed User ID: {} from Client ID: {}",
            r.user_id, r.client_id
        ),
    );
    Ok(DeleteUserClientResponse::default())
}

fn create_client_invite(
    w: &mut State,
    r: CreateClientInvite,
) -> Result<CreateClientInviteResponse, CreateClientInviteError> {
    if !w.clients.clients.contains(r.client_id) {
        return Err(CreateClientInviteError::InvalidClientId);
    }
    if !valid_email(&r.email) {
        return Err(CreateClientInviteError::InvalidEmailAddress);
    }
    if w.user_by_email(&r.email)
        .is_some_and(|(_, u)| u.clients.contains(&r.client_id))
    {
        return Err(CreateClientInviteError::UserAlreadyAssociated);
    }
    let permissions = parse_permissions(&r.permissions);
    if permissions.is_empty() {
        return Err(CreateClientInviteError::PermissionsRequired);
    }
    let now = w.now;
    let n = w.clients.invites.len();
    let id = w.clients.invites.insert(Invite {
        client: r.client_id,
        email: r.email.trim().to_string(),
        permissions,
        token: md5_hex(&format!("invite:{}:{}:{n}:{now}", r.client_id, r.email)),
        created: now,
    });
    w.log(
        r.client_id,
        format!("Sent Invite ID: {id} to manage Client ID: {}", r.client_id),
    );
    Ok(CreateClientInviteResponse::default())
}

fn get_permissions_list(
    _: &State,
    _: GetPermissionsList,
) -> Result<GetPermissionsListResponse, GetPermissionsListError> {
    Ok(GetPermissionsListResponse {
        status: Some("success".into()),
        permissions: PERMISSIONS
            .iter()
            .filter_map(|p| UserPermission::from_wire(p))
            .collect(),
        ..Default::default()
    })
}

/// What `user` may do on `client`: everything for the owner.
fn permissions_of(w: &State, user: i64, client: i64) -> Vec<String> {
    if w.owns(user, client) {
        return PERMISSIONS.iter().map(|p| (*p).to_string()).collect();
    }
    w.clients
        .users
        .get(user)
        .and_then(|u| u.permissions.get(&client).cloned())
        .unwrap_or_default()
}

fn get_user_permissions(
    w: &State,
    r: GetUserPermissions,
) -> Result<GetUserPermissionsResponse, GetUserPermissionsError> {
    let u = w
        .clients
        .users
        .get(r.user_id)
        .ok_or(GetUserPermissionsError::InvalidUserId)?;
    if !w.clients.clients.contains(r.client_id) {
        return Err(GetUserPermissionsError::InvalidClientId);
    }
    if !u.clients.contains(&r.client_id) {
        return Err(GetUserPermissionsError::UserNotAssociatedWithClient);
    }
    let list: Vec<Value> = permissions_of(w, r.user_id, r.client_id)
        .into_iter()
        .map(Value::String)
        .collect();
    let mut extra = serde_json::Map::new();
    extra.insert("permissions".into(), json!(list));
    Ok(GetUserPermissionsResponse {
        extra: extra.into(),
    })
}

fn update_user_permissions(
    w: &mut State,
    r: UpdateUserPermissions,
) -> Result<UpdateUserPermissionsResponse, UpdateUserPermissionsError> {
    let linked = w
        .clients
        .users
        .get(r.user_id)
        .ok_or(UpdateUserPermissionsError::InvalidUserId)?
        .clients
        .contains(&r.client_id);
    if !w.clients.clients.contains(r.client_id) {
        return Err(UpdateUserPermissionsError::InvalidClientId);
    }
    if !linked {
        return Err(UpdateUserPermissionsError::UserNotAssociatedWithClient);
    }
    if w.owns(r.user_id, r.client_id) {
        return Err(UpdateUserPermissionsError::CannotSetOwnerPermissions);
    }
    let permissions = parse_permissions(&r.permissions);
    if permissions.is_empty() {
        return Err(UpdateUserPermissionsError::MissingPermissions);
    }
    if let Some(u) = w.clients.users.get_mut(r.user_id) {
        u.permissions.insert(r.client_id, permissions);
    }
    w.log(
        r.client_id,
        format!("Updated permissions of User ID: {}", r.user_id),
    );
    Ok(UpdateUserPermissionsResponse::default())
}

fn reset_password(
    w: &mut State,
    r: ResetPassword,
) -> Result<ResetPasswordResponse, ResetPasswordError> {
    let id = match (r.id, r.email.as_deref()) {
        (Some(id), _) => w
            .clients
            .users
            .contains(id)
            .then_some(id)
            .ok_or(ResetPasswordError::UserNotFound)?,
        (None, Some(email)) => {
            if !valid_email(email.trim()) {
                return Err(ResetPasswordError::InvalidEmailAddress);
            }
            w.user_by_email(email)
                .map(|(id, _)| id)
                .ok_or(ResetPasswordError::UserNotFound)?
        }
        (None, None) => return Err(ResetPasswordError::EmailOrIdRequired),
    };
    let now = w.now;
    if let Some(u) = w.clients.users.get_mut(id) {
        u.reset_requested = Some(now);
    }
    w.log(0, format!("Password Reset Requested - User ID: {id}"));
    Ok(ResetPasswordResponse::default())
}

fn validate_login(
    w: &mut State,
    r: ValidateLogin,
) -> Result<ValidateLoginResponse, ValidateLoginError> {
    let id = w
        .user_by_email(&r.email)
        .filter(|(_, u)| {
            u.password
                .as_ref()
                .is_some_and(|p| p.verify(r.password2.expose()))
        })
        .map(|(id, _)| id)
        .ok_or(ValidateLoginError::EmailOrPasswordInvalid)?;
    let now = w.now;
    let Some(u) = w.clients.users.get_mut(id) else {
        return Err(ValidateLoginError::EmailOrPasswordInvalid);
    };
    u.last_login = Some(now);
    u.logins += 1;
    let session = md5_hex(&format!("session:{id}:{}:{now}", u.logins));
    let clients = u.clients.clone();
    for c in clients {
        if let Some(client) = w.clients.clients.get_mut(c) {
            client.lastlogin = Some(now);
        }
    }
    w.log(0, format!("User Login Validated - User ID: {id}"));
    Ok(ValidateLoginResponse {
        userid: Some(id),
        passwordhash: Some(Secret::new(session)),
        two_factor_enabled: Some("false".into()),
        ..Default::default()
    })
}

fn create_sso_token(
    w: &mut State,
    r: CreateSsoToken,
) -> Result<CreateSsoTokenResponse, CreateSsoTokenError> {
    let (client, user) = match (r.client_id, r.user_id) {
        (Some(c), user) => {
            let owner = w
                .clients
                .clients
                .get(c)
                .ok_or(CreateSsoTokenError::InvalidClientId)?
                .owner_user_id;
            let user = user.unwrap_or(owner);
            let linked = w
                .clients
                .users
                .get(user)
                .ok_or(CreateSsoTokenError::InvalidUserId)?
                .clients
                .contains(&c);
            if !linked {
                return Err(CreateSsoTokenError::UserNotOfClient);
            }
            (Some(c), user)
        }
        (None, Some(u)) => {
            if !w.clients.users.contains(u) {
                return Err(CreateSsoTokenError::InvalidUserId);
            }
            (None, u)
        }
        (None, None) => return Err(CreateSsoTokenError::ClientOrUserIdRequired),
    };
    if let Some(c) = client
        && w.clients.clients.get(c).is_some_and(|x| !x.allow_sso)
    {
        return Err(CreateSsoTokenError::SsoBlockedForClient {
            client_id: c.to_string(),
        });
    }
    let destination = r
        .destination
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "clientarea:homepage".into());
    if !DESTINATIONS.contains(&destination.as_str()) {
        return Err(CreateSsoTokenError::InvalidDestination);
    }
    let now = w.now;
    let n = w.clients.sso_tokens.len() + w.activity.len();
    let token = format!(
        "{}{}",
        md5_hex(&format!("sso:{user}:{n}:{now}")),
        &md5_hex(&format!("sso2:{user}:{n}"))[..8]
    );
    w.clients.sso_tokens.insert(SsoToken {
        token: token.clone(),
        client,
        user,
        destination,
        created: now,
    });
    w.log(
        client.unwrap_or(0),
        format!("Single Sign-On Token Issued - User ID: {user}"),
    );
    Ok(CreateSsoTokenResponse {
        redirect_url: Some(Secret::new(format!(
            "{SYSTEM_URL}oauth/singlesignon.php?access_token={token}"
        ))),
        access_token: Secret::new(token),
        ..Default::default()
    })
}

fn get_client_password(
    w: &State,
    r: GetClientPassword,
) -> Result<GetClientPasswordResponse, GetClientPasswordError> {
    let client = match (r.userid, r.email.as_deref()) {
        (Some(id), _) => w.clients.clients.get(id),
        (None, Some(email)) => w.clients.by_email(email).map(|(_, c)| c),
        (None, None) => None,
    }
    .ok_or(GetClientPasswordError::ClientNotFound)?;
    let hash = w
        .clients
        .users
        .get(client.owner_user_id)
        .and_then(|u| u.password.as_ref())
        .map(PasswordHash::encoded)
        .unwrap_or_default();
    Ok(GetClientPasswordResponse {
        password: Some(Secret::new(hash)),
        ..Default::default()
    })
}
