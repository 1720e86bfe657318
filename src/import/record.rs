//! A Graph `signIn` record as exported: only the fields the import reads (unknown
//! fields are ignored, since Graph adds fields over time), each optional as in the
//! exports. The synthetic exports are written from the same structs.

use serde::{Deserialize, Serialize};

/// The fields of a Graph `signIn` the import reads (unknown fields are ignored, since
/// Graph adds fields over time). Every field is optional, as in the exports. The
/// PascalCase aliases read `Get-Mg… | ConvertTo-Json`, whose objects name them so.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInRecord {
    /// Record id, used to drop duplicates (overlapping pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Id")]
    pub id: Option<String>,
    /// ISO 8601 time with a zone, e.g. `2026-03-02T08:14:03Z`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "CreatedDateTime")]
    pub created_date_time: Option<String>,
    /// The user's object id (hashed for counting, never copied).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "UserId")]
    pub user_id: Option<String>,
    /// Client app id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AppId")]
    pub app_id: Option<String>,
    /// Client app name: the model's app name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AppDisplayName")]
    pub app_display_name: Option<String>,
    /// The resource the token is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ResourceDisplayName")]
    pub resource_display_name: Option<String>,
    /// `Browser`, `Mobile Apps and Desktop clients`, legacy protocols, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ClientAppUsed")]
    pub client_app_used: Option<String>,
    /// Interactive (a person signed in) or not (a silent token request).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "IsInteractive")]
    pub is_interactive: Option<bool>,
    /// Beta: `interactiveUser`, `nonInteractiveUser`, `servicePrincipal`, `managedIdentity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "SignInEventTypes")]
    pub sign_in_event_types: Option<Vec<String>>,
    /// Device platform and management.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "DeviceDetail")]
    pub device_detail: Option<DeviceDetail>,
    /// `singleFactorAuthentication` or `multiFactorAuthentication`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AuthenticationRequirement")]
    pub authentication_requirement: Option<String>,
    /// The methods used, step by step (beta).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AuthenticationDetails")]
    pub authentication_details: Option<Vec<AuthenticationDetail>>,
    /// `none`, `primaryRefreshToken`, `refreshToken`, `saml20`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "IncomingTokenType")]
    pub incoming_token_type: Option<String>,
    /// `AzureAD`, `AzureADBackupAuth` (served by the backup service), `ADFederationServices`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TokenIssuerType")]
    pub token_issuer_type: Option<String>,
    /// Error code (0 = success).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Status")]
    pub status: Option<Status>,
    /// Conditional Access policies evaluated (counted per policy name).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AppliedConditionalAccessPolicies")]
    pub applied_conditional_access_policies: Option<Vec<AppliedPolicy>>,
}

/// `deviceDetail`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceDetail {
    /// `Windows10`, `MacOs`, `Ios`, `Android`, `Linux`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "OperatingSystem")]
    pub operating_system: Option<String>,
    /// `Azure AD joined`, `Hybrid Azure AD joined`, `Azure AD registered`, or empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "TrustType")]
    pub trust_type: Option<String>,
    /// Managed by Intune or another MDM.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "IsManaged")]
    pub is_managed: Option<bool>,
}

/// One `authenticationDetails` step.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationDetail {
    /// `Password`, `Windows Hello for Business`, `FIDO2 security key`, `Passkey ...`,
    /// `Microsoft Authenticator ...`, `Previously satisfied`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "AuthenticationMethod")]
    pub authentication_method: Option<String>,
    /// Whether the step succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Succeeded")]
    pub succeeded: Option<bool>,
}

/// `status`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// 0 on success, else the AADSTS code (50196 loop detected, 700082 refresh token
    /// expired by inactivity, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "ErrorCode")]
    pub error_code: Option<i64>,
}

/// One `appliedConditionalAccessPolicies` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedPolicy {
    /// Policy name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "DisplayName")]
    pub display_name: Option<String>,
    /// `success`, `failure`, `notApplied`, `notEnabled`, `reportOnly…`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(alias = "Result")]
    pub result: Option<String>,
}
