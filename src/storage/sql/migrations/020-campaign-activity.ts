/**
 * Early warning (issue 15 §3): `campaign-activity` events in the change feed.
 *
 * collection_events.operation gains 'campaign-activity': a notice that a newly indexed indicator
 * joins a campaign or a campaign candidate, written into the feed of each collection holding one of
 * its neighbours, one event per group of organizations that may read the same things (tlp 'red',
 * recipients = the group, provider_org_id = 'hub:early-warning', which no organization id can be,
 * so the provider rule of the ReadScope predicate never widens it).
 *
 * campaign_activity: which indicator version each such event is about. A notice carries the new
 * indicator's value, possibly in another collection's feed than the indicator's own: when that
 * version goes (a TAXII DELETE, a purge, the collection deleted), the row goes with it (the foreign
 * key cascades) and its trigger deletes the event, so nothing of a removed indicator stays in any
 * feed. The rows also make each version announced once per collection, whichever hub process
 * indexes it (checked under the collection's clock lock).
 */
export const sql = `
ALTER TABLE collection_events DROP CONSTRAINT collection_events_operation_check;
ALTER TABLE collection_events ADD CONSTRAINT collection_events_operation_check
  CHECK (operation IN ('updated', 'revoked', 'benign', 'expired', 'deleted', 'purged', 'campaign-activity'));

CREATE TABLE campaign_activity (
  collection_id            uuid NOT NULL,
  position                 bigint NOT NULL,
  indicator_collection_id  uuid NOT NULL,
  indicator_date_added     bigint NOT NULL,
  PRIMARY KEY (collection_id, position),
  FOREIGN KEY (collection_id, position) REFERENCES collection_events (collection_id, position) ON DELETE CASCADE,
  FOREIGN KEY (indicator_collection_id, indicator_date_added) REFERENCES stix_objects (collection_id, date_added) ON DELETE CASCADE
);
CREATE INDEX campaign_activity_indicator_idx ON campaign_activity (indicator_collection_id, indicator_date_added, collection_id);

CREATE FUNCTION campaign_activity_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM collection_events WHERE collection_id = OLD.collection_id AND position = OLD.position;
  RETURN NULL;
END;
$$;
CREATE TRIGGER campaign_activity_gone AFTER DELETE ON campaign_activity
  FOR EACH ROW EXECUTE FUNCTION campaign_activity_gone();
`;
