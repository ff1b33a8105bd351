-- Errors per code per minute, from the monitoring events
-- (feed it with: npx sluice datagen --quickstart monitoring).
CREATE STREAM monitoring_stream (host STRING KEY, type STRING, error_code INT, message STRING)
  WITH (kafka_topic='monitoring', value_format='JSON', partitions=1);

CREATE TABLE error_counts AS
  SELECT error_code, COUNT(*) AS errors
  FROM monitoring_stream
  WINDOW TUMBLING (SIZE 1 MINUTE)
  WHERE type = 'ERROR'
  GROUP BY error_code;
