ALTER TABLE widgets ADD COLUMN colour text NOT NULL DEFAULT 'blue';
INSERT INTO widgets (name) VALUES ('seed');
INSERT INTO migration_log (version) VALUES ('0002_widget_colour');
