import { referencedIds } from '../../../src/domain/sharing/stix-references';
import { TLP2_MARKING_REFS } from '../../../src/domain/tlp';

describe('the ids an object names', () => {
  test('every *_ref and *_refs at any depth, TLP marking-definitions left out, the object itself left out', () => {
    const object = {
      type: 'sighting',
      id: 'sighting--1b0e3a1e-0f8d-4a1c-9d5e-2b7c6a4f3e21',
      created_by_ref: 'identity--7d2f4c9a-3e1b-4f6d-8a0c-5b9e1d2c3a4f',
      sighting_of_ref: 'indicator--3c5a7e9b-1d2f-4a6c-8e0b-9f1d3c5a7e9b',
      where_sighted_refs: ['identity--7d2f4c9a-3e1b-4f6d-8a0c-5b9e1d2c3a4f', 'identity--9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'],
      object_marking_refs: [TLP2_MARKING_REFS.amber, 'marking-definition--4f6c8e0a-2b4d-4f6a-8c0e-2a4c6e8f0b2d'],
      granular_markings: [{ marking_ref: 'marking-definition--6e8a0c2e-4f6b-4d8f-a0c2-4e6a8c0e2f4b', selectors: ['description'] }],
      extensions: { 'x-deep': { nested: { parent_ref: 'sighting--1b0e3a1e-0f8d-4a1c-9d5e-2b7c6a4f3e21', sample_refs: ['file--2d4f6a8c-0e2a-4c6e-8a0c-2e4a6c8e0a2c'] } } },
      description: 'names indicator--00000000-0000-4000-8000-000000000000 in text, which is no reference',
    };
    expect(referencedIds(object, object.id).sort()).toEqual([
      'file--2d4f6a8c-0e2a-4c6e-8a0c-2e4a6c8e0a2c',
      'identity--7d2f4c9a-3e1b-4f6d-8a0c-5b9e1d2c3a4f',
      'identity--9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      'indicator--3c5a7e9b-1d2f-4a6c-8e0b-9f1d3c5a7e9b',
      'marking-definition--4f6c8e0a-2b4d-4f6a-8c0e-2a4c6e8f0b2d',
      'marking-definition--6e8a0c2e-4f6b-4d8f-a0c2-4e6a8c0e2f4b',
    ]);
  });
});
