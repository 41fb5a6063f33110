-- Posts already out when notices arrived count as announced; scheduled ones
-- are announced at their time (learn queues them at start-up).
UPDATE posts SET announced_at = publish_at
WHERE status = 'published' AND publish_at <= CAST(EXTRACT(EPOCH FROM now()) AS BIGINT);
