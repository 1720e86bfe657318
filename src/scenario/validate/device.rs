//! A segment's devices and which device each app runs on.

use super::*;
use crate::domain::{Device, DeviceKind};

pub(super) fn validate_devices(
    c: &Checker,
    field: &str,
    raw: &[RawDevice],
) -> Checked<Vec<Device>> {
    let mut devices: Vec<Device> = Vec::with_capacity(raw.len());
    for (i, d) in raw.iter().enumerate() {
        if d.name.trim().is_empty() || devices.iter().any(|o| o.name == d.name) {
            return c.fail(
                format!("{field}[{i}].name"),
                format!(
                    "'{}' must be a non-empty name no other device of the segment has",
                    d.name
                ),
            );
        }
        devices.push(Device {
            name: d.name.clone(),
            kind: d.kind,
        });
    }
    if devices.len() > u16::MAX as usize {
        return c.fail(field, format!("{} devices; at most 65535", devices.len()));
    }
    Ok(devices)
}

/// The index of the device app `a` names. A user's app must name one when the segment
/// declares devices; a daemon or managed identity runs on no user device.
pub(super) fn device_of(
    c: &Checker,
    prefix: &str,
    a: &RawApp,
    devices: &[Device],
) -> Checked<Option<u16>> {
    let field = format!("{prefix}.device");
    if a.family && !matches!(a.client, ClientType::Native | ClientType::Mobile) {
        return c.fail(
            format!("{prefix}.family"),
            format!(
                "'true' for a {} app: the family of client IDs is for native and mobile public clients",
                a.client.label()
            ),
        );
    }
    let index = match &a.device {
        None if devices.is_empty() || a.client.is_service() => return Ok(None),
        None => c.fail(
            field,
            format!(
                "missing: the segment declares devices ({}), so each user app names the one it runs on",
                names(devices)
            ),
        )?,
        Some(_) if a.client.is_service() => c.fail(
            field,
            format!("a {} app runs on no user device", a.client.label()),
        )?,
        Some(name) => match devices.iter().position(|d| &d.name == name) {
            Some(k) => k,
            None if devices.is_empty() => c.fail(
                field,
                format!("'{name}' is not a device: the segment declares no [[segment.device]]"),
            )?,
            None => c.fail(
                field,
                format!("'{name}' is not a device of the segment (it has {})", names(devices)),
            )?,
        },
    };
    let device = &devices[index];
    if a.token_protection == Some(true) && !device.kind.token_protection() {
        return c.fail(
            format!("{prefix}.token_protection"),
            format!(
                "'true' for an app on {} device '{}': Token Protection binds the PRT of a windows, macos-sso or ios-broker device (Microsoft Learn lists no Android){}",
                device.kind.label(),
                device.name,
                if device.kind == DeviceKind::MobileBroker {
                    "; mobile-broker does not say which: use ios-broker or android-broker"
                } else {
                    ""
                }
            ),
        );
    }
    Ok(Some(index as u16))
}

fn names(devices: &[Device]) -> String {
    devices
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
