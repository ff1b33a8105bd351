-- Cards with more than 3 authorisation attempts within 5 seconds
-- (feed it with: npx sluice datagen --quickstart transactions).
CREATE STREAM authorization_attempts (card_number VARCHAR, merchant VARCHAR, amount DOUBLE)
  WITH (kafka_topic='authorizations', value_format='JSON', partitions=1);

CREATE TABLE possible_fraud AS
  SELECT card_number, count() AS attempts
  FROM authorization_attempts
  WINDOW TUMBLING (SIZE 5 SECONDS)
  GROUP BY card_number
  HAVING count() > 3;
