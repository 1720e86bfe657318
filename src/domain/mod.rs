//! The things being simulated: users and their apps, the tokens an app holds, and the
//! identity platform's scale units with their outages and the backup service.
//! Pure state and rules; scheduling lives in `sim/`.

pub mod app;
pub mod backup;
pub mod client_profile;
pub mod device;
pub mod events;
pub mod exposure;
pub mod idp;
pub mod outage;
pub mod prompt;
pub mod token;
pub mod user;

pub use app::{AppSpec, ClientType};
pub use client_profile::{Jitter, Profile, RefreshMode, RetryPolicy};
pub use device::{Device, DeviceKind, Session, SessionKind};
pub use events::{Campaign, EventKind, EventModel, EventRates};
pub use idp::{Answer, PlatformConfig, PlatformUnit, RequestKind};
pub use outage::{Outage, OutageKind, UnitSelection};
pub use prompt::PromptCause;
pub use token::{AccessToken, RefreshToken, SessionCookie, TokenClass, TokenClasses};
pub use user::{Absence, Activity, Segment, SignIn};
