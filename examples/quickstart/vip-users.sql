-- What Platinum users are doing on the site: clicks enriched with the users table
-- (feed it with: npx sluice datagen --quickstart users --iterations 25, then
--                npx sluice datagen --quickstart clickstream).
CREATE TABLE users (user_id INT PRIMARY KEY, username STRING, first_name STRING, last_name STRING,
                    city STRING, level STRING, registered_at BIGINT)
  WITH (kafka_topic='users', value_format='JSON', partitions=1);

CREATE STREAM clickstream (userid INT, page STRING, action STRING, ip STRING, status INT, bytes BIGINT, agent STRING)
  WITH (kafka_topic='clickstream', value_format='JSON', partitions=1);

CREATE STREAM vip_users AS
  SELECT userid, page, action
  FROM clickstream c
  LEFT JOIN users u ON c.userid = u.user_id
  WHERE u.level = 'Platinum';
