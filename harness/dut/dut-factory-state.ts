import { type DeviceState, isType2, newDeviceState } from '../../simulator/domain/index.js';
import type { TestPki } from '../../simulator/pki/index.js';
import { deviceProfileOf } from '../stack/device-profile.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { factoryTrustAnchors } from '../stack/sim-stack.js';

/**
 * The state a device leaves the factory in, composed exactly as SimStack composes a simulated
 * device's: own KA key, the manufacturer's image-signing key (FIRMWARE-IMAGE.md), the trust
 * anchors of its owners (none for Type 2), the model's firmware profile. Provisioning writes it
 * out for a device under test; the DutLink starts its observed state from it.
 */
export function dutFactoryState(pki: TestPki, spec: DeviceSpec, now: number): DeviceState {
  const state = newDeviceState({
    identity: {
      eui: spec.eui,
      deviceType: spec.deviceType,
      manufacturer: spec.manufacturer,
      model: spec.model,
      hardwareVersion: spec.hardwareVersion,
    },
    keys: {
      kaPrivate: pki.device(spec.eui).ka.keys.privateKey,
      dsPrivate: pki.device(spec.eui).ds.keys.privateKey,
      manufacturerPublic: pki.organisation('manufacturer').ds.keys.publicKey,
    },
    firmwareVersion: spec.firmwareVersion,
    trustAnchors: isType2(spec.deviceType) ? [] : factoryTrustAnchors(pki, spec),
    now,
    profile: deviceProfileOf(spec),
  });
  return spec.preinstalled ? { ...state, lifecycle: 'commissioned' } : state;
}
