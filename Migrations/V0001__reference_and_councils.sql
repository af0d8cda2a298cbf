-- Reference geography and vocabularies, and the councils that own everything else.
-- Codes are stored as text with CHECK constraints listing exactly the codes of domain.md.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Keeps updated_at honest without every UPDATE having to remember it.
CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE domains (
  code        text PRIMARY KEY CHECK (code IN ('prevention', 'participation', 'daily_life')),
  position    smallint NOT NULL UNIQUE,
  numeral     text NOT NULL,
  label_ja    text NOT NULL,
  label_en    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE support_menu_items (
  code        text PRIMARY KEY CHECK (code IN ('needs_sharing', 'administrative_data', 'stakeholder_coordination',
                                              'partner_matching', 'pr_support', 'event_sponsorship')),
  position    smallint NOT NULL UNIQUE,
  label_ja    text NOT NULL,
  label_en    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The 7 wards with the real figures of shared/data/kawasaki/wards.csv.
-- NULL means "looked for and not found"; never fill it with an estimate.
CREATE TABLE wards (
  code                    text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
  name_ja                 text NOT NULL UNIQUE,
  name_en                 text NOT NULL,
  position                smallint NOT NULL UNIQUE,
  population_2010         integer CHECK (population_2010 > 0),
  ageing_rate_2010        numeric(5,2) CHECK (ageing_rate_2010 BETWEEN 0 AND 100),
  ageing_rate_65plus_2020 numeric(5,2) CHECK (ageing_rate_65plus_2020 BETWEEN 0 AND 100),
  ageing_rate_2024        numeric(5,2) CHECK (ageing_rate_2024 BETWEEN 0 AND 100),
  walk_15min_rate_fy2022  numeric(5,2) CHECK (walk_15min_rate_fy2022 BETWEEN 0 AND 100),
  sources                 text NOT NULL,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- Districts (地区 / 地域ケア圏域) are geography shared by every council of the city.
CREATE TABLE districts (
  id          uuid PRIMARY KEY,
  ward_code   text NOT NULL REFERENCES wards(code),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 100),
  name_en     text,
  towns       text NOT NULL DEFAULT '' CHECK (length(towns) <= 1000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ward_code, name_ja)
);
CREATE INDEX districts_ward_code_idx ON districts (ward_code);

-- 地区カルテ: figures of one district as of a stated year and source.
-- Every figure is nullable: an unknown stays unknown.
CREATE TABLE district_profiles (
  id                         uuid PRIMARY KEY,
  district_id                uuid NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  as_of_year                 smallint NOT NULL CHECK (as_of_year BETWEEN 1990 AND 2100),
  source                     text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  population                 integer CHECK (population >= 0),
  aged_65_plus               integer CHECK (aged_65_plus >= 0),
  aged_75_plus               integer CHECK (aged_75_plus >= 0),
  ageing_rate                numeric(5,2) CHECK (ageing_rate BETWEEN 0 AND 100),
  single_elderly_households  integer CHECK (single_elderly_households >= 0),
  ikoi_no_ie                 integer CHECK (ikoi_no_ie >= 0),
  senior_clubs               integer CHECK (senior_clubs >= 0),
  salons                     integer CHECK (salons >= 0),
  dementia_cafes             integer CHECK (dementia_cafes >= 0),
  other_resources            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  UNIQUE (district_id, as_of_year, source)
);

CREATE TABLE councils (
  id          uuid PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name_ja     text NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 200),
  name_en     text CHECK (length(name_en) <= 200),
  level       text NOT NULL CHECK (level IN ('city', 'ward')),
  ward_code   text REFERENCES wards(code),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((level = 'ward') = (ward_code IS NOT NULL))
);

CREATE TRIGGER domains_touch BEFORE UPDATE ON domains FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER support_menu_items_touch BEFORE UPDATE ON support_menu_items FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER wards_touch BEFORE UPDATE ON wards FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER districts_touch BEFORE UPDATE ON districts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER district_profiles_touch BEFORE UPDATE ON district_profiles FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER councils_touch BEFORE UPDATE ON councils FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
