//! The provider-side steps of each preset, as step texts with `{key}` placeholders (see
//! [`super::guide`]): `{name}` is the directory's name, `{redirect_url}` the sign-in service's
//! redirect URL for it, `{loopback_redirect}` the test sign-in's, and any other key is one of
//! the preset's values or `{issuer}`.

pub(super) const ENTRA: &[&str] = &[
    "Sign in to the Microsoft Entra admin center (entra.microsoft.com) with an account that may register applications, and open Identity → Applications → App registrations → New registration.",
    "Name the application {name}. Under Supported account types choose \"Accounts in this organizational directory only\". Under Redirect URI choose the platform Web and enter {redirect_url}. Click Register.",
    "Open Authentication → Add a platform → Mobile and desktop applications, enter the custom redirect URI {loopback_redirect} (the console's test sign-in) and click Configure.",
    "On the Overview page, copy the Application (client) ID into the console's Client ID. The Directory (tenant) ID there is the tenant, {tenant}.",
    "Open Certificates & secrets → Client secrets → New client secret. Choose an expiry (at most 24 months), click Add and copy the Value (not the Secret ID) into the console's Client secret at once: it is shown only now. Enter the expiry date in the console too, so that it warns before the secret stops working.",
    "Open Token configuration → Add optional claim → ID and tick email, given_name and family_name; accept the Microsoft Graph permission it offers.",
    "To tell staff users: open App roles → Create app role with the value Staff for Users/Groups, then in Enterprise applications → {name} → Users and groups assign it to the staff. Their ID tokens then carry roles with Staff.",
];

pub(super) const OKTA: &[&str] = &[
    "Sign in to the Okta Admin Console ({domain}) and open Applications → Applications → Create App Integration. Choose OIDC - OpenID Connect and the application type Web Application.",
    "Name the app integration {name}. Grant type: Authorization Code. Sign-in redirect URIs: {redirect_url} and {loopback_redirect} (the console's test sign-in). Under Assignments choose who may use it, then Save.",
    "On the General tab, under Client Credentials, keep Client authentication on Client secret and copy the Client ID and the Client secret into the console. Okta's secrets do not expire unless a policy says so: enter its expiry date in the console if yours does.",
    "The console expects the issuer {issuer}. For a custom authorization server (Security → API → Authorization Servers), check that an access policy rule lets this app use the Authorization Code grant.",
    "To tell staff users: on the Sign On tab, under OpenID Connect ID Token, set a Groups claim named groups with a filter that matches the staff group. Their ID tokens then carry groups with that group's name.",
];

pub(super) const GOOGLE: &[&str] = &[
    "Sign in to the Google Cloud console with an account of the Workspace, choose or create a project, and open APIs & Services → OAuth consent screen. Choose the user type Internal, so that only the Workspace's users can sign in, and name the app {name}.",
    "Open APIs & Services → Credentials → Create credentials → OAuth client ID, with the application type Web application and the name {name}.",
    "Under Authorized redirect URIs add {redirect_url} and {loopback_redirect} (the console's test sign-in). Click Create.",
    "Copy the Client ID and the Client secret into the console. Google's client secrets do not expire.",
    "The Workspace domain {hosted_domain} is in the hd claim of its users' ID tokens: the console checks it.",
];

pub(super) const COGNITO: &[&str] = &[
    "Sign in to the AWS console and open Amazon Cognito → User pools → {user_pool_id} (region {region}).",
    "Under App integration → Domain, check the hosted UI domain: {domain}. Create one if there is none.",
    "Open App integration → App clients → Create app client. Choose a confidential client (Traditional web application), name it {name} and keep \"Generate a client secret\" on.",
    "Under the hosted UI (managed login) settings: Allowed callback URLs {redirect_url} and {loopback_redirect} (the console's test sign-in); identity providers: the pool's users or the customer's; OAuth grant type: Authorization code grant; scopes openid, email and profile. Save.",
    "Copy the Client ID and the Client secret of the app client into the console. Cognito's client secrets do not expire.",
    "To tell staff users: create a group (for example Staff) in the user pool and add the staff to it. Their ID tokens then carry cognito:groups with that group's name.",
];

pub(super) const AUTH0: &[&str] = &[
    "Sign in to the Auth0 Dashboard of the tenant {domain} and open Applications → Applications → Create Application. Name it {name} and choose Regular Web Applications.",
    "On the Settings tab, under Allowed Callback URLs, enter {redirect_url}, {loopback_redirect} (the console's test sign-in), separated by a comma. Save Changes.",
    "Copy the Client ID and the Client Secret into the console. On the Credentials tab, the authentication method must match the console's \"Send the client secret with HTTP Basic\" setting: Client Secret (Post) with it off, Client Secret (Basic) with it on.",
    "On the Connections tab, enable the connections (databases, enterprise or social) whose users may sign in.",
];

pub(super) const KEYCLOAK: &[&str] = &[
    "Sign in to the Keycloak admin console at {base_url}, choose the realm {realm} and open Clients → Create client. Client type: OpenID Connect; Client ID: a name such as sso-console; Name: {name}.",
    "Under Capability config, turn Client authentication on and keep Standard flow on. Under Login settings, set Valid redirect URIs to {redirect_url} and {loopback_redirect} (the console's test sign-in). Save.",
    "On the Credentials tab (Client Authenticator: Client Id and Secret), copy the Client secret; copy the Client ID from the Settings tab. Keycloak's secrets do not expire unless rotation is set up.",
    "To tell staff users: create a realm role Staff, assign it to the staff, and add to the client's dedicated scope a User Realm Role mapper with the token claim name roles, added to the ID token.",
];

pub(super) const GENERIC: &[&str] = &[
    "In the provider's admin console, register a confidential web client (an application that keeps a client secret) for {name}, using the authorization code flow.",
    "Register the redirect URIs {redirect_url} and {loopback_redirect} (the console's test sign-in).",
    "Copy the client ID and the client secret into the console, with the secret's expiry date if it has one.",
    "Allow the scopes openid, email and profile for the client, so that its ID tokens (issuer {issuer}) carry email, given_name and family_name.",
];
