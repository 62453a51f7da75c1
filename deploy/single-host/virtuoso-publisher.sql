-- The publish job's own Virtuoso account (a template: README.md, step 2), run once as dba:
--   isql-vt 1111 dba DBA-PASSWORD < virtuoso-publisher.sql
-- SPARQL_UPDATE is the role Virtuoso's signed-in endpoints (/sparql-auth, /sparql-graph-crud-auth)
-- ask of a user who writes: it loads, moves and drops graphs, and has no SQL rights beyond that.
-- The anonymous /sparql endpoint (Virtuoso's SPARQL user) stays read-only.
DB.DBA.USER_CREATE('{{PUBLISHER_USER}}', '{{PUBLISHER_PASSWORD}}');
GRANT SPARQL_UPDATE TO "{{PUBLISHER_USER}}";
