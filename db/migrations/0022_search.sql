-- hand-written: pg_trgm, for misspelt search words and designer names (PGlite loads its contrib build in db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "comment_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "submissions" ADD COLUMN "search_document" "tsvector" DEFAULT ''::tsvector NOT NULL;--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "submissions_search_idx" ON "submissions" USING gin ("search_document");--> statement-breakpoint
CREATE INDEX "submissions_tags_idx" ON "submissions" USING gin ("tags") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "submissions_public_newest_idx" ON "submissions" USING btree ("created_at","id") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "submissions_most_commented_idx" ON "submissions" USING btree ("round_id","comment_count","created_at","id") WHERE "submissions"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "users_name_trgm_idx" ON "users" USING gin (("username" || ' ' || lower(coalesce("display_name", ''))) gin_trgm_ops) WHERE "users"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_comment_count" CHECK ("submissions"."comment_count" >= 0);--> statement-breakpoint
-- hand-written: the weighted search document (ADR 016). Title A, tags B, designer's name C, description C.
CREATE OR REPLACE FUNCTION submission_search_document(title text, tags text[], designer text, description text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
      || setweight(to_tsvector('english'::regconfig, array_to_string(coalesce(tags, '{}'::text[]), ' ')), 'B')
      || setweight(to_tsvector('simple'::regconfig, coalesce(designer, '')), 'C')
      || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')
$$;--> statement-breakpoint
-- hand-written: a design's document is rebuilt whenever its words or its designer change.
CREATE OR REPLACE FUNCTION submissions_search_document_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document := submission_search_document(
    NEW.title,
    NEW.tags,
    (SELECT u.username || ' ' || coalesce(u.display_name, '') FROM users u WHERE u.id = NEW.designer_id),
    NEW.description
  );
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER submissions_search_document
  BEFORE INSERT OR UPDATE OF title, tags, description, designer_id ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_search_document_trigger();--> statement-breakpoint
-- hand-written: a designer's rename (or an anonymised, deleted account) reaches every design of theirs.
CREATE OR REPLACE FUNCTION users_search_name_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE submissions
     SET search_document = submission_search_document(title, tags, NEW.username || ' ' || coalesce(NEW.display_name, ''), description)
   WHERE designer_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER users_search_name
  AFTER UPDATE OF username, display_name ON users
  FOR EACH ROW
  WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name)
  EXECUTE FUNCTION users_search_name_trigger();--> statement-breakpoint
-- hand-written: the words of approved designs' titles and tags join the vocabulary misspellings are corrected against.
CREATE OR REPLACE FUNCTION submissions_search_terms_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_terms (term)
  SELECT DISTINCT w
    FROM regexp_split_to_table(lower(NEW.title || ' ' || array_to_string(NEW.tags, ' ')), '[[:space:][:punct:]]+') AS w
   WHERE length(w) BETWEEN 3 AND 40
  ON CONFLICT (term) DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER submissions_search_terms
  AFTER INSERT OR UPDATE OF title, tags, status ON submissions
  FOR EACH ROW WHEN (NEW.status = 'approved')
  EXECUTE FUNCTION submissions_search_terms_trigger();--> statement-breakpoint
-- hand-written: a design's count of visible comments (not deleted, not hidden), recounted from its own comments on each change.
CREATE OR REPLACE FUNCTION comments_count_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
BEGIN
  FOR target IN
    SELECT DISTINCT s
      FROM unnest(ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.submission_id END,
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.submission_id END
      ]) AS s
     WHERE s IS NOT NULL
  LOOP
    UPDATE submissions
       SET comment_count = (
         SELECT count(*) FROM comments c
          WHERE c.submission_id = target AND c.deleted_at IS NULL AND c.hidden_at IS NULL
       )
     WHERE id = target;
  END LOOP;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER comments_count
  AFTER INSERT OR DELETE OR UPDATE OF submission_id, deleted_at, hidden_at ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_count_trigger();--> statement-breakpoint
-- hand-written backfill: documents, comment counts and the vocabulary for the designs already there.
UPDATE submissions s
   SET search_document = submission_search_document(s.title, s.tags, u.username || ' ' || coalesce(u.display_name, ''), s.description)
  FROM users u
 WHERE u.id = s.designer_id;--> statement-breakpoint
UPDATE submissions s
   SET comment_count = c.n
  FROM (
    SELECT submission_id, count(*)::int AS n FROM comments
     WHERE submission_id IS NOT NULL AND deleted_at IS NULL AND hidden_at IS NULL
     GROUP BY submission_id
  ) c
 WHERE c.submission_id = s.id;--> statement-breakpoint
INSERT INTO search_terms (term)
SELECT DISTINCT w
  FROM submissions s,
       regexp_split_to_table(lower(s.title || ' ' || array_to_string(s.tags, ' ')), '[[:space:][:punct:]]+') AS w
 WHERE s.status = 'approved' AND length(w) BETWEEN 3 AND 40
ON CONFLICT (term) DO NOTHING;
