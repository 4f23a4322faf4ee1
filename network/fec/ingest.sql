-- The one FEC ingest query.  DuckDB and Spark SQL run these steps unchanged
-- (network/fec/query.py expands :parameters and @macro(...)@ first).
--
-- Every transaction line ends in exactly one fate, and the summary counts them:
--   malformed   the line does not parse (field count, SUB_ID, CMTE_ID, amount, date)
--   excluded    a counting rule leaves it out (memo, duplicate SUB_ID, pass-through, ...)
--   filtered    --tech leaves it out (not a tech donor, or committee money outside the focus)
--   counted     its money is in a relationship
-- Malformed and excluded lines are listed one by one in exclusions.csv.

-- step: tx (table)
-- Every line of itcont, itoth and itpas2, trimmed and checked.
WITH raw AS (
  SELECT 'indiv' AS src, 3 AS src_rank, 21 AS want_fields, line, record, n_fields,
         CMTE_ID, AMNDT_IND, TRANSACTION_TP, ENTITY_TP, NAME, CITY, STATE, ZIP_CODE, EMPLOYER, OCCUPATION,
         TRANSACTION_DT, TRANSACTION_AMT, OTHER_ID, '' AS CAND_ID, MEMO_CD, SUB_ID, IMAGE_NUM
  FROM rows_indiv
  UNION ALL
  SELECT 'oth', 2, 21, line, record, n_fields,
         CMTE_ID, AMNDT_IND, TRANSACTION_TP, ENTITY_TP, NAME, CITY, STATE, ZIP_CODE, EMPLOYER, OCCUPATION,
         TRANSACTION_DT, TRANSACTION_AMT, OTHER_ID, '', MEMO_CD, SUB_ID, IMAGE_NUM
  FROM rows_oth
  UNION ALL
  SELECT 'pas2', 1, 22, line, record, n_fields,
         CMTE_ID, AMNDT_IND, TRANSACTION_TP, ENTITY_TP, NAME, CITY, STATE, ZIP_CODE, EMPLOYER, OCCUPATION,
         TRANSACTION_DT, TRANSACTION_AMT, OTHER_ID, CAND_ID, MEMO_CD, SUB_ID, IMAGE_NUM
  FROM rows_pas2
),
trimmed AS (
  SELECT src, src_rank, want_fields, line, record, n_fields,
         trim(coalesce(CMTE_ID, '')) AS cmte_id, trim(coalesce(AMNDT_IND, '')) AS amndt,
         upper(trim(coalesce(TRANSACTION_TP, ''))) AS tp, upper(trim(coalesce(ENTITY_TP, ''))) AS entity_tp,
         trim(coalesce(NAME, '')) AS name, trim(coalesce(CITY, '')) AS city, trim(coalesce(STATE, '')) AS state,
         trim(coalesce(ZIP_CODE, '')) AS zip, trim(coalesce(EMPLOYER, '')) AS employer,
         trim(coalesce(OCCUPATION, '')) AS occupation, trim(coalesce(TRANSACTION_DT, '')) AS dt_raw,
         trim(coalesce(TRANSACTION_AMT, '')) AS amt_raw, trim(coalesce(OTHER_ID, '')) AS other_id,
         trim(coalesce(CAND_ID, '')) AS cand_id, upper(trim(coalesce(MEMO_CD, ''))) AS memo,
         trim(coalesce(SUB_ID, '')) AS sub_id, trim(coalesce(IMAGE_NUM, '')) AS image_num
  FROM raw
),
checked AS (
  SELECT *,
    CASE
      WHEN record = '' THEN 'empty_line'
      WHEN n_fields <> want_fields THEN 'wrong_field_count'
      WHEN regexp_extract(sub_id, '^[0-9]{1,19}$', 0) = '' THEN 'bad_sub_id'
      WHEN regexp_extract(cmte_id, '^C[0-9]{8}$', 0) = '' THEN 'bad_cmte_id'
      WHEN regexp_extract(amt_raw, '^-?[0-9]{1,12}([.][0-9]{1,2})?$', 0) = '' THEN 'bad_amount'
      WHEN dt_raw <> '' AND (
             regexp_extract(dt_raw, '^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])(19|20)[0-9][0-9]$', 0) = ''
             OR TRY_CAST(substr(dt_raw, 3, 2) AS INT) > CASE substr(dt_raw, 1, 2)
                  WHEN '02' THEN CASE WHEN TRY_CAST(substr(dt_raw, 5, 4) AS INT) % 4 = 0
                                       AND (TRY_CAST(substr(dt_raw, 5, 4) AS INT) % 100 <> 0
                                            OR TRY_CAST(substr(dt_raw, 5, 4) AS INT) % 400 = 0)
                                      THEN 29 ELSE 28 END
                  WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END)
        THEN 'bad_date'
    END AS problem
  FROM trimmed
)
SELECT src, line, problem,
       CASE WHEN problem IS NOT NULL THEN record END AS record,
       CASE problem
         WHEN 'empty_line' THEN 'empty line'
         WHEN 'wrong_field_count' THEN CAST(n_fields AS STRING) || ' fields, expected ' || CAST(want_fields AS STRING)
         WHEN 'bad_sub_id' THEN 'SUB_ID ''' || sub_id || ''' is not a record number'
         WHEN 'bad_cmte_id' THEN 'CMTE_ID ''' || cmte_id || ''' is not a committee id (C and 8 digits)'
         WHEN 'bad_amount' THEN 'TRANSACTION_AMT ''' || amt_raw || ''' is not an amount in dollars'
         WHEN 'bad_date' THEN 'TRANSACTION_DT ''' || dt_raw || ''' is not a date MMDDYYYY'
       END AS detail,
       cmte_id, amndt, tp, entity_tp, other_id, cand_id, memo,
       CASE WHEN src = 'indiv' THEN name ELSE '' END AS name,
       CASE WHEN src = 'indiv' THEN employer ELSE '' END AS employer,
       CASE WHEN src = 'indiv' THEN occupation ELSE '' END AS occupation,
       CASE WHEN src <> 'indiv' THEN ''
            WHEN regexp_extract(zip, '^[0-9]{5}', 0) <> '' THEN substr(zip, 1, 5)
            ELSE trim('NOZIP ' || @person(city)@ || ' ' || upper(state)) END AS zip5,
       CASE WHEN problem IS NULL OR problem NOT IN ('empty_line', 'wrong_field_count', 'bad_sub_id') THEN sub_id ELSE '' END AS sub_id,
       CASE WHEN problem IS NULL AND regexp_extract(image_num, '^[0-9]{11,22}$', 0) <> '' THEN image_num ELSE '' END AS image_num,
       CASE WHEN problem IS NULL THEN CAST(amt_raw AS DECIMAL(16,2)) END AS amount,
       CASE WHEN problem IS NULL AND dt_raw <> ''
            THEN make_date(CAST(substr(dt_raw, 5, 4) AS INT), CAST(substr(dt_raw, 1, 2) AS INT),
                           CAST(substr(dt_raw, 3, 2) AS INT)) END AS dt
FROM checked

-- step: committees (table)
-- cm.txt: one row per committee (the first line of a repeated CMTE_ID wins).
WITH checked AS (
  SELECT line, record, n_fields,
         trim(coalesce(CMTE_ID, '')) AS cmte_id, trim(coalesce(CMTE_NM, '')) AS name,
         trim(coalesce(CMTE_CITY, '')) AS city, trim(coalesce(CMTE_ST, '')) AS state,
         upper(trim(coalesce(CMTE_DSGN, ''))) AS dsgn, upper(trim(coalesce(CMTE_TP, ''))) AS cmte_tp,
         trim(coalesce(CMTE_PTY_AFFILIATION, '')) AS party, upper(trim(coalesce(ORG_TP, ''))) AS org_tp,
         trim(coalesce(CONNECTED_ORG_NM, '')) AS connected_org, trim(coalesce(CAND_ID, '')) AS cand_id,
         CASE WHEN record = '' THEN 'empty_line'
              WHEN n_fields <> 15 THEN 'wrong_field_count'
              WHEN regexp_extract(trim(coalesce(CMTE_ID, '')), '^C[0-9]{8}$', 0) = '' THEN 'bad_cmte_id' END AS problem
  FROM rows_cm
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY CASE WHEN problem IS NULL THEN cmte_id ELSE '' END ORDER BY line) AS copy
  FROM checked
)
SELECT 'cm' AS src, line, cmte_id, name, city, state, dsgn, cmte_tp, party, org_tp, connected_org, cand_id,
       CASE WHEN problem IS NULL AND copy > 1 THEN 'duplicate_id' ELSE problem END AS problem,
       CASE WHEN problem IS NOT NULL THEN record END AS record,
       CASE WHEN problem = 'wrong_field_count' THEN CAST(n_fields AS STRING) || ' fields, expected 15'
            WHEN problem = 'bad_cmte_id' THEN 'CMTE_ID ''' || cmte_id || ''' is not a committee id (C and 8 digits)'
            WHEN problem = 'empty_line' THEN 'empty line'
            WHEN copy > 1 THEN 'CMTE_ID ' || cmte_id || ' repeated; the first line is used' END AS detail
FROM ranked

-- step: candidates (table)
-- cn.txt: one row per candidate; a repeated CAND_ID keeps its latest election year.
WITH checked AS (
  SELECT line, record, n_fields,
         trim(coalesce(CAND_ID, '')) AS cand_id, trim(coalesce(CAND_NAME, '')) AS name,
         trim(coalesce(CAND_PTY_AFFILIATION, '')) AS party, trim(coalesce(CAND_ELECTION_YR, '')) AS election_yr,
         trim(coalesce(CAND_OFFICE_ST, '')) AS office_st, upper(trim(coalesce(CAND_OFFICE, ''))) AS office,
         trim(coalesce(CAND_OFFICE_DISTRICT, '')) AS district, trim(coalesce(CAND_PCC, '')) AS pcc,
         CASE WHEN record = '' THEN 'empty_line'
              WHEN n_fields <> 15 THEN 'wrong_field_count'
              WHEN regexp_extract(trim(coalesce(CAND_ID, '')), '^[HSP][0-9][0-9A-Z]{7}$', 0) = '' THEN 'bad_cand_id' END AS problem
  FROM rows_cn
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY CASE WHEN problem IS NULL THEN cand_id ELSE '' END
                               ORDER BY election_yr DESC, line) AS copy
  FROM checked
)
SELECT 'cn' AS src, line, cand_id, name, party, election_yr, office_st, office, district, pcc,
       CASE WHEN problem IS NULL AND copy > 1 THEN 'duplicate_id' ELSE problem END AS problem,
       CASE WHEN problem IS NOT NULL THEN record END AS record,
       CASE WHEN problem = 'wrong_field_count' THEN CAST(n_fields AS STRING) || ' fields, expected 15'
            WHEN problem = 'bad_cand_id' THEN 'CAND_ID ''' || cand_id || ''' is not a candidate id'
            WHEN problem = 'empty_line' THEN 'empty line'
            WHEN copy > 1 THEN 'CAND_ID ' || cand_id || ' repeated; the latest election year is used' END AS detail
FROM ranked

-- step: linkages (table)
-- ccl.txt: candidate-committee links.
WITH checked AS (
  SELECT line, record, n_fields, trim(coalesce(CAND_ID, '')) AS cand_id, trim(coalesce(CMTE_ID, '')) AS cmte_id,
         upper(trim(coalesce(CMTE_DSGN, ''))) AS dsgn, trim(coalesce(LINKAGE_ID, '')) AS linkage_id,
         CASE WHEN record = '' THEN 'empty_line'
              WHEN n_fields <> 7 THEN 'wrong_field_count'
              WHEN regexp_extract(trim(coalesce(CAND_ID, '')), '^[HSP][0-9][0-9A-Z]{7}$', 0) = '' THEN 'bad_cand_id'
              WHEN regexp_extract(trim(coalesce(CMTE_ID, '')), '^C[0-9]{8}$', 0) = '' THEN 'bad_cmte_id' END AS problem
  FROM rows_ccl
)
SELECT 'ccl' AS src, line, cand_id, cmte_id, dsgn, linkage_id, problem,
       CASE WHEN problem IS NOT NULL THEN record END AS record,
       CASE WHEN problem = 'wrong_field_count' THEN CAST(n_fields AS STRING) || ' fields, expected 7'
            WHEN problem = 'bad_cand_id' THEN 'CAND_ID ''' || cand_id || ''' is not a candidate id'
            WHEN problem = 'bad_cmte_id' THEN 'CMTE_ID ''' || cmte_id || ''' is not a committee id (C and 8 digits)'
            WHEN problem = 'empty_line' THEN 'empty line' END AS detail
FROM checked

-- step: dup_ranks (table)
-- SUB_IDs seen more than once (an amendment repeated, or an itpas2 record also in itoth).
-- The copy kept is itpas2's (it names the candidate), then the first line.
WITH dup_ids AS (
  SELECT sub_id FROM tx WHERE problem IS NULL GROUP BY sub_id HAVING count(*) > 1
)
SELECT src, line,
       row_number() OVER (PARTITION BY sub_id ORDER BY CASE src WHEN 'pas2' THEN 1 WHEN 'oth' THEN 2 ELSE 3 END, line) AS copy_rank,
       first_value(src) OVER (PARTITION BY sub_id ORDER BY CASE src WHEN 'pas2' THEN 1 WHEN 'oth' THEN 2 ELSE 3 END, line) AS kept_src,
       first_value(line) OVER (PARTITION BY sub_id ORDER BY CASE src WHEN 'pas2' THEN 1 WHEN 'oth' THEN 2 ELSE 3 END, line) AS kept_line
FROM tx
WHERE problem IS NULL AND sub_id IN (SELECT sub_id FROM dup_ids)

-- step: classified (table)
-- The counting rules: reason is NULL for a row whose money counts.
WITH rows AS (
  SELECT t.*, d.copy_rank, d.kept_src, d.kept_line,
         CASE WHEN regexp_extract(t.cand_id, '^[HSP][0-9][0-9A-Z]{7}$', 0) <> '' THEN t.cand_id
              WHEN regexp_extract(t.other_id, '^[HSP][0-9][0-9A-Z]{7}$', 0) <> '' THEN t.other_id
              ELSE '' END AS candidate
  FROM tx t LEFT JOIN dup_ranks d ON t.src = d.src AND t.line = d.line
  WHERE t.problem IS NULL
)
SELECT *,
  CASE
    WHEN copy_rank > 1 AND src = 'oth' AND kept_src = 'pas2' THEN 'pas2_duplicate'
    WHEN copy_rank > 1 THEN 'duplicate_sub_id'
    WHEN memo = 'X' THEN 'memo'
    WHEN tp IN (:jfc_memo_types) THEN 'jfc_memo'
    WHEN tp IN (:passthrough_types) THEN 'earmark_passthrough'
    WHEN src = 'indiv' AND tp NOT IN (:gift_types) AND tp NOT IN (:refund_types) THEN 'type_not_counted'
    WHEN src = 'indiv' AND entity_tp NOT IN (:person_entities) AND entity_tp NOT IN (:org_entities) THEN 'committee_in_indiv'
    WHEN src <> 'indiv' AND tp NOT IN (:committee_types) THEN 'type_not_counted'
    WHEN src <> 'indiv' AND tp IN (:giver_types, :receiver_types)
         AND regexp_extract(other_id, '^C[0-9]{8}$', 0) = '' THEN 'no_counterparty'
    WHEN src <> 'indiv' AND tp IN (:giver_types, :receiver_types) AND other_id = cmte_id THEN 'self_transfer'
    WHEN src <> 'indiv' AND tp IN (:spender_types) AND candidate = '' THEN 'no_candidate'
  END AS reason
FROM rows

-- step: tech_variants (table)
-- data/tech_employers.csv, normalized like the employers it is matched against.
SELECT company_id, company, variant, line, @company(variant)@ AS variant_norm,
       CASE WHEN regexp_extract(upper(trim(variant)), '^C[0-9]{8}$', 0) <> '' THEN 'committee' ELSE 'employer' END AS match_kind
FROM tech_list

-- step: names (table)
-- Each distinct NAME of a counted itcont row, normalized once: "LAST, FIRST MIDDLE SUFFIX".
WITH g AS (
  SELECT DISTINCT name, CASE WHEN entity_tp IN (:org_entities) THEN 'org' ELSE 'donor' END AS donor_kind
  FROM classified WHERE src = 'indiv' AND reason IS NULL
),
parts AS (
  SELECT name, donor_kind, @person(name)@ AS nm FROM g
),
split AS (
  SELECT *,
         trim(CASE WHEN instr(nm, ',') > 0 THEN substr(nm, 1, instr(nm, ',') - 1) ELSE nm END) AS last_raw,
         trim(replace(CASE WHEN instr(nm, ',') > 0 THEN substr(nm, instr(nm, ',') + 1) ELSE '' END, ',', ' ')) AS rest_raw
  FROM parts
),
suffixed AS (
  SELECT *, @suffix(last_raw || ' ' || rest_raw)@ AS suffix FROM split
),
named AS (
  -- suffixes and titles are rare: strip them only from the names that have one
  SELECT *,
         CASE WHEN suffix = '' THEN last_raw ELSE @strip_name_words(last_raw)@ END AS last_name,
         CASE WHEN suffix = '' AND split_part(rest_raw, ' ', 1) NOT IN (:name_titles) THEN rest_raw
              ELSE @strip_name_words(rest_raw)@ END AS given
  FROM suffixed
)
SELECT name, donor_kind,
       CASE WHEN donor_kind = 'org' THEN @company(name)@
            ELSE trim(@squash(last_name || ' ' || split_part(given, ' ', 1) || ' ' || suffix)@) END AS name_key,
       CASE WHEN donor_kind = 'org' THEN @company(name)@
            ELSE trim(@squash(last_name || ' ' || given || ' ' || suffix)@) END AS full_name
FROM named

-- step: employers (table)
-- Each distinct EMPLOYER or OCCUPATION text of a counted itcont row, normalized and matched to the list once.
WITH texts AS (
  SELECT employer AS text FROM classified WHERE src = 'indiv' AND reason IS NULL
  UNION SELECT occupation FROM classified WHERE src = 'indiv' AND reason IS NULL
),
normalized AS (
  SELECT text, @company(text)@ AS norm FROM texts
)
SELECT n.text, n.norm, v.company_id
FROM normalized n
LEFT JOIN (SELECT DISTINCT variant_norm, company_id FROM tech_variants WHERE match_kind = 'employer') v
       ON n.norm = v.variant_norm

-- step: gifts (table)
-- Counted rows of itcont with their donor key: name + ZIP5 (+ employer), after the overrides.
WITH g AS (
  SELECT c.src, c.line, c.sub_id, c.image_num, c.cmte_id AS recipient, c.tp, c.name, c.employer, c.occupation, c.dt, c.zip5,
         CASE WHEN c.tp IN (:refund_types) THEN 'refund' ELSE 'gift' END AS kind,
         CASE WHEN c.tp IN (:refund_types) THEN -abs(c.amount) ELSE c.amount END AS signed,
         CASE WHEN c.tp IN (:earmark_types) AND regexp_extract(c.other_id, '^C[0-9]{8}$', 0) <> '' THEN c.other_id END AS conduit,
         n.donor_kind, n.name_key, n.full_name, e.norm AS employer_norm,
         coalesce(e.company_id, o.company_id) AS company_id,
         CASE WHEN e.company_id IS NULL AND o.company_id IS NOT NULL THEN 1 ELSE 0 END AS swapped
  FROM classified c
  JOIN names n ON n.name = c.name
       AND n.donor_kind = CASE WHEN c.entity_tp IN (:org_entities) THEN 'org' ELSE 'donor' END
  JOIN employers e ON e.text = c.employer
  JOIN employers o ON o.text = c.occupation
  WHERE c.src = 'indiv' AND c.reason IS NULL
)
SELECT g.src, g.line, g.sub_id, g.image_num, g.recipient, g.tp, g.kind, g.signed, g.conduit, g.dt, g.name, g.employer,
       g.occupation, g.employer_norm, g.company_id, g.swapped, g.donor_kind, g.name_key, g.zip5,
       CASE WHEN mg.name_key IS NOT NULL THEN g.donor_kind || '|' || mg.target_name_key || '|' || mg.target_zip5
            WHEN ka.name_key IS NOT NULL THEN g.donor_kind || '|' || g.full_name || '|' || g.zip5 || '|' || g.employer_norm
            WHEN :match_employer THEN g.donor_kind || '|' || g.name_key || '|' || g.zip5 || '|' || coalesce(g.company_id, g.employer_norm)
            ELSE g.donor_kind || '|' || g.name_key || '|' || g.zip5 END AS donor_key,
       CASE WHEN mg.name_key IS NOT NULL THEN 'override: merge into ' || mg.target_name_key || ' / ' || mg.target_zip5
            WHEN ka.name_key IS NOT NULL THEN 'override: keep apart (full name + ZIP5 + employer)'
            WHEN :match_employer THEN 'name + ZIP5 + employer'
            ELSE 'name + ZIP5' END AS how
FROM g
LEFT JOIN (SELECT DISTINCT name_key, zip5 FROM overrides WHERE action = 'keep_apart') ka
       ON g.name_key = ka.name_key AND g.zip5 = ka.zip5
LEFT JOIN (SELECT name_key, zip5, target_name_key, target_zip5 FROM overrides WHERE action = 'merge') mg
       ON g.name_key = mg.name_key AND g.zip5 = mg.zip5

-- step: donor_variants (table)
-- Each spelling (name, employer) merged into a donor: the merge log and the donor table come from here.
SELECT donor_key, donor_kind, name_key, zip5, how, name, employer_norm, max(employer) AS employer,
       count(*) AS n_rows, CAST(sum(signed) AS DECIMAL(38,2)) AS net,
       sum(CASE WHEN company_id IS NOT NULL THEN 1 ELSE 0 END) AS tech_rows
FROM gifts
GROUP BY donor_key, donor_kind, name_key, zip5, how, name, employer_norm

-- step: donors (table)
-- One row per donor; its id is a hash of its key, so it stays the same from run to run.
WITH spellings AS (
  SELECT donor_key, name, sum(n_rows) AS n FROM donor_variants GROUP BY donor_key, name
),
ranked AS (
  SELECT donor_key, name, row_number() OVER (PARTITION BY donor_key ORDER BY n DESC, name) AS rk FROM spellings
),
employers AS (
  SELECT donor_key, max(employer) AS employer,
         row_number() OVER (PARTITION BY donor_key ORDER BY sum(n_rows) DESC, employer_norm) AS rk
  FROM donor_variants WHERE employer_norm <> '' GROUP BY donor_key, employer_norm
),
totals AS (
  SELECT donor_key, max(donor_kind) AS donor_kind, max(zip5) AS zip5, max(name_key) AS name_key,
         CAST(sum(n_rows) AS BIGINT) AS n_rows, CAST(sum(tech_rows) AS BIGINT) AS tech_rows,
         count(*) AS n_variants, min(how) AS how
  FROM donor_variants GROUP BY donor_key
)
SELECT t.donor_kind || '-' || substr(md5(t.donor_key), 1, 16) AS donor_id, t.*, n.name, e.employer,
       concat_ws(';', max(CASE WHEN r.rk = 2 THEN r.name END), max(CASE WHEN r.rk = 3 THEN r.name END),
                      max(CASE WHEN r.rk = 4 THEN r.name END), max(CASE WHEN r.rk = 5 THEN r.name END)) AS aliases
FROM totals t
JOIN ranked n ON n.donor_key = t.donor_key AND n.rk = 1
LEFT JOIN employers e ON e.donor_key = t.donor_key AND e.rk = 1
LEFT JOIN ranked r ON r.donor_key = t.donor_key AND r.rk BETWEEN 2 AND 5
GROUP BY t.donor_key, t.donor_kind, t.zip5, t.name_key, t.n_rows, t.tech_rows, t.n_variants, t.how, n.name, e.employer

-- step: gift_pairs (table)
-- Net money per donor and recipient: gifts, refunds (22Y, always subtracted) and negative entries together,
-- with the first three records of each pair (by SUB_ID) and the filing image when the FEC gives one.
-- One grouping over the ranked rows (a second grouping for the records and a join of the two took 15% longer at 10M).
WITH ranked AS (
  SELECT donor_key, recipient, kind, signed, conduit, dt, sub_id, image_num,
         row_number() OVER (PARTITION BY donor_key, recipient ORDER BY length(sub_id), sub_id) AS rk
  FROM gifts
),
pairs AS (
  SELECT donor_key, recipient,
         CAST(sum(signed) AS DECIMAL(38,2)) AS net,
         CAST(sum(CASE WHEN kind = 'gift' AND signed > 0 THEN signed ELSE 0 END) AS DECIMAL(38,2)) AS given,
         CAST(sum(CASE WHEN kind = 'refund' THEN -signed ELSE 0 END) AS DECIMAL(38,2)) AS refunded,
         CAST(sum(CASE WHEN kind = 'gift' AND signed < 0 THEN -signed ELSE 0 END) AS DECIMAL(38,2)) AS negative,
         CAST(sum(CASE WHEN conduit IS NOT NULL THEN signed ELSE 0 END) AS DECIMAL(38,2)) AS earmarked,
         CAST(sum(CASE WHEN kind = 'gift' AND signed >= 0 THEN 1 ELSE 0 END) AS BIGINT) AS n_gifts,
         CAST(sum(CASE WHEN kind = 'refund' THEN 1 ELSE 0 END) AS BIGINT) AS n_refunds,
         CAST(sum(CASE WHEN kind = 'gift' AND signed < 0 THEN 1 ELSE 0 END) AS BIGINT) AS n_negative,
         CAST(sum(CASE WHEN conduit IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS n_earmarked,
         CAST(count(*) AS BIGINT) AS n_rows,
         min(conduit) AS conduit_a, max(conduit) AS conduit_b, min(dt) AS first_dt, max(dt) AS last_dt,
         max(CASE WHEN rk = 1 THEN @record_ref(sub_id, image_num)@ END) AS record_1,
         max(CASE WHEN rk = 2 THEN @record_ref(sub_id, image_num)@ END) AS record_2,
         max(CASE WHEN rk = 3 THEN @record_ref(sub_id, image_num)@ END) AS record_3
  FROM ranked
  GROUP BY donor_key, recipient
)
SELECT d.donor_id, p.*
FROM pairs p JOIN donors d ON d.donor_key = p.donor_key
WHERE NOT :tech_only OR d.tech_rows > 0

-- step: tech_pacs (table)
-- Company PACs: cm.txt's connected organization matches the list, or the list names the committee id.
SELECT cmte_id, company_id, min(how) AS how
FROM (
  SELECT c.cmte_id, v.company_id, 'connected organization ' || c.connected_org AS how
  FROM committees c JOIN tech_variants v ON v.match_kind = 'employer' AND @company(c.connected_org)@ = v.variant_norm
  WHERE c.problem IS NULL AND c.connected_org <> ''
  UNION ALL
  SELECT c.cmte_id, v.company_id, 'committee id listed in tech_employers.csv'
  FROM committees c JOIN tech_variants v ON v.match_kind = 'committee' AND upper(trim(v.variant)) = c.cmte_id
  WHERE c.problem IS NULL
) matches
GROUP BY cmte_id, company_id

-- step: committee_rows (table)
-- Counted rows of itoth and itpas2, oriented giver -> receiver; the giver's own report is used when it exists.
WITH oriented AS (
  SELECT c.src, c.line, c.sub_id, c.image_num, c.tp, c.amount, c.dt, k.kind, k.side,
         CASE WHEN k.side = 'receiver' THEN c.other_id ELSE c.cmte_id END AS giver,
         CASE WHEN k.side = 'giver' THEN c.other_id WHEN k.side = 'receiver' THEN c.cmte_id ELSE c.candidate END AS receiver
  FROM classified c JOIN committee_kinds k ON c.tp = k.tp
  WHERE c.src <> 'indiv' AND c.reason IS NULL
),
focused AS (
  SELECT *, CASE WHEN NOT :tech_only THEN 1
                 WHEN giver IN (SELECT recipient FROM gift_pairs WHERE net > 0) THEN 1
                 WHEN giver IN (SELECT cmte_id FROM tech_pacs) THEN 1 ELSE 0 END AS in_focus
  FROM oriented
),
sides AS (
  SELECT giver, receiver, kind, max(CASE WHEN side = 'receiver' THEN 0 ELSE 1 END) AS giver_reported
  FROM focused WHERE in_focus = 1 GROUP BY giver, receiver, kind
)
SELECT f.*, CASE WHEN f.in_focus = 1 AND f.side = 'receiver' AND s.giver_reported = 1 THEN 0 ELSE 1 END AS used
FROM focused f LEFT JOIN sides s ON f.giver = s.giver AND f.receiver = s.receiver AND f.kind = s.kind

-- step: committee_pairs (table)
-- Net money per giver, receiver and kind, with the first three records of each (by SUB_ID) and the filing
-- image when the FEC gives one: one grouping over the ranked rows, as in gift_pairs.
WITH ranked AS (
  SELECT *, row_number() OVER (PARTITION BY giver, receiver, kind ORDER BY length(sub_id), sub_id) AS rk
  FROM committee_rows
  WHERE in_focus = 1 AND used = 1
)
SELECT giver, receiver, kind,
       CAST(sum(amount) AS DECIMAL(38,2)) AS net,
       CAST(sum(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS BIGINT) AS n_negative,
       CAST(count(*) AS BIGINT) AS n_rows,
       max(CASE WHEN side = 'receiver' THEN 1 ELSE 0 END) AS from_receiver,
       max(CASE WHEN src = 'oth' THEN 1 ELSE 0 END) AS in_oth, max(CASE WHEN src = 'pas2' THEN 1 ELSE 0 END) AS in_pas2,
       min(tp) AS tp_a, max(tp) AS tp_b, min(dt) AS first_dt, max(dt) AS last_dt,
       max(CASE WHEN rk = 1 THEN @record_ref(sub_id, image_num)@ END) AS record_1,
       max(CASE WHEN rk = 2 THEN @record_ref(sub_id, image_num)@ END) AS record_2,
       max(CASE WHEN rk = 3 THEN @record_ref(sub_id, image_num)@ END) AS record_3
FROM ranked
GROUP BY giver, receiver, kind

-- step: graph_donors (view)
-- Donors with money in the graph (a positive net to some recipient).
SELECT DISTINCT donor_id, donor_key FROM gift_pairs WHERE net > 0

-- step: employment (table)
-- Donor -> company: rows whose EMPLOYER (or, swapped, OCCUPATION) matched the list; role is the commonest occupation.
WITH jobs AS (
  SELECT d.donor_id, g.company_id, g.swapped,
         CASE WHEN g.swapped = 1 THEN g.employer ELSE g.occupation END AS occupation,
         CASE WHEN g.swapped = 1 THEN g.occupation ELSE g.employer END AS employer
  FROM gifts g JOIN graph_donors d ON d.donor_key = g.donor_key
  WHERE g.company_id IS NOT NULL
),
occupations AS (
  SELECT donor_id, company_id, occupation,
         row_number() OVER (PARTITION BY donor_id, company_id ORDER BY count(*) DESC, occupation) AS rk
  FROM jobs GROUP BY donor_id, company_id, occupation
),
employers AS (
  SELECT donor_id, company_id, employer,
         row_number() OVER (PARTITION BY donor_id, company_id ORDER BY count(*) DESC, employer) AS rk
  FROM jobs GROUP BY donor_id, company_id, employer
),
totals AS (
  SELECT donor_id, company_id, CAST(count(*) AS BIGINT) AS n_rows, CAST(sum(swapped) AS BIGINT) AS n_swapped
  FROM jobs GROUP BY donor_id, company_id
)
SELECT t.donor_id, t.company_id, t.n_rows, t.n_swapped, coalesce(o.occupation, '') AS occupation, e.employer
FROM totals t
LEFT JOIN occupations o ON o.donor_id = t.donor_id AND o.company_id = t.company_id AND o.rk = 1
JOIN employers e ON e.donor_id = t.donor_id AND e.company_id = t.company_id AND e.rk = 1

-- step: rel_core (table)
-- Every relationship except the candidate links, with typed ends.
WITH names AS (SELECT cmte_id, name FROM committees WHERE problem IS NULL),
gift_rel AS (
  SELECT 'gift.' || p.donor_id || '.' || lower(p.recipient) AS id,
         p.donor_id AS source, CASE WHEN p.donor_id LIKE 'org-%' THEN 'org' ELSE 'donor' END AS source_kind,
         lower(p.recipient) AS target, 'committee' AS target_kind, 'donation' AS type,
         CASE WHEN p.donor_id LIKE 'org-%' THEN 'contributions from an organization' ELSE 'individual contributions' END
         || CASE WHEN p.conduit_a IS NULL THEN ''
                 ELSE '; earmarked via ' || coalesce(na.name, p.conduit_a) || ' (' || p.conduit_a || ')'
                      || CASE WHEN p.conduit_b <> p.conduit_a
                              THEN ' and ' || coalesce(nb.name, p.conduit_b) || ' (' || p.conduit_b || ')' ELSE '' END
            END AS role,
         p.net AS amount, CAST(p.first_dt AS STRING) AS first_dt, CAST(p.last_dt AS STRING) AS last_dt, 'fec-itcont' AS source_ids,
         'FEC itcont rows: contributions ' || CAST(p.n_gifts AS STRING)
         || CASE WHEN p.n_refunds > 0 THEN ', refunds ' || CAST(p.n_refunds AS STRING) ELSE '' END
         || CASE WHEN p.n_negative > 0 THEN ', negative entries ' || CAST(p.n_negative AS STRING) ELSE '' END
         || '; given ' || @money(p.given)@
         || CASE WHEN p.refunded > 0 THEN ', refunded ' || @money(p.refunded)@ ELSE '' END
         || CASE WHEN p.negative > 0 THEN ', negative entries ' || @money(p.negative)@ ELSE '' END
         || ', net ' || @money(p.net)@
         || CASE WHEN p.n_earmarked > 0 THEN '; earmarked through a conduit ' || @money(p.earmarked)@
                 || ' (rows ' || CAST(p.n_earmarked AS STRING) || '), counted once, at the recipient' ELSE '' END
         || '; FEC records (SUB_ID): ' || p.record_1 || coalesce(', ' || p.record_2, '') || coalesce(', ' || p.record_3, '')
         || CASE WHEN p.n_rows > 3 THEN ' and ' || CAST(p.n_rows - 3 AS STRING) || ' more' ELSE '' END AS evidence
  FROM gift_pairs p
  LEFT JOIN names na ON na.cmte_id = p.conduit_a
  LEFT JOIN names nb ON nb.cmte_id = p.conduit_b
  WHERE p.net > 0
),
committee_rel AS (
  SELECT p.kind || '.' || lower(p.giver) || '.' || lower(p.receiver) AS id,
         lower(p.giver) AS source, 'committee' AS source_kind, lower(p.receiver) AS target,
         CASE WHEN p.kind IN ('ie-support', 'ie-oppose', 'coordinated') THEN 'candidate' ELSE 'committee' END AS target_kind,
         CASE p.kind WHEN 'in-kind' THEN 'in_kind' WHEN 'ie-support' THEN 'spending' WHEN 'coordinated' THEN 'spending'
                     WHEN 'ie-oppose' THEN 'oppose' ELSE 'donation' END AS type,
         CASE p.kind WHEN 'contribution' THEN 'contributions to a committee'
                     WHEN 'transfer' THEN 'transfers between affiliated committees'
                     WHEN 'in-kind' THEN 'in-kind contributions'
                     WHEN 'ie-support' THEN 'independent expenditures supporting the candidate'
                     WHEN 'ie-oppose' THEN 'independent expenditures opposing the candidate'
                     WHEN 'coordinated' THEN 'coordinated party expenditures' END
         || ' (' || p.tp_a || CASE WHEN p.tp_b <> p.tp_a THEN '/' || p.tp_b ELSE '' END || ')' AS role,
         p.net AS amount, CAST(p.first_dt AS STRING) AS first_dt, CAST(p.last_dt AS STRING) AS last_dt,
         CASE WHEN p.in_oth = 1 AND p.in_pas2 = 1 THEN 'fec-itoth;fec-itpas2'
              WHEN p.in_pas2 = 1 THEN 'fec-itpas2' ELSE 'fec-itoth' END AS source_ids,
         'FEC ' || CASE WHEN p.in_oth = 1 AND p.in_pas2 = 1 THEN 'itoth and itpas2' WHEN p.in_pas2 = 1 THEN 'itpas2' ELSE 'itoth' END
         || ' rows: ' || CAST(p.n_rows AS STRING)
         || CASE WHEN p.n_negative > 0 THEN ' (negative ' || CAST(p.n_negative AS STRING) || ')' ELSE '' END
         || ', net ' || @money(p.net)@
         || CASE WHEN p.from_receiver = 1 THEN '; as reported by the receiving committee (the giver filed no matching row)'
                 WHEN p.kind IN ('contribution', 'transfer') THEN '; as reported by the giving committee' ELSE '' END
         || '; FEC records (SUB_ID): ' || p.record_1 || coalesce(', ' || p.record_2, '') || coalesce(', ' || p.record_3, '')
         || CASE WHEN p.n_rows > 3 THEN ' and ' || CAST(p.n_rows - 3 AS STRING) || ' more' ELSE '' END AS evidence
  FROM committee_pairs p
  WHERE p.net > 0
),
employee_rel AS (
  SELECT 'employee.' || e.donor_id || '.' || e.company_id AS id, e.donor_id AS source, 'donor' AS source_kind,
         e.company_id AS target, 'company' AS target_kind, 'employee' AS type, e.occupation AS role,
         CAST(NULL AS DECIMAL(38,2)) AS amount, CAST(NULL AS STRING) AS first_dt, CAST(NULL AS STRING) AS last_dt,
         'fec-itcont;tech-employers' AS source_ids,
         'FEC itcont: employer ''' || e.employer || ''' on counted rows: ' || CAST(e.n_rows AS STRING)
         || CASE WHEN e.n_swapped > 0 THEN ' (employer written in OCCUPATION on ' || CAST(e.n_swapped AS STRING) || ')' ELSE '' END
         || ', matched by data/tech_employers.csv' AS evidence
  FROM employment e
),
money AS (
  SELECT * FROM gift_rel UNION ALL SELECT * FROM committee_rel
),
money_committees AS (
  SELECT target AS cmte FROM money WHERE target_kind = 'committee'
  UNION SELECT source FROM money WHERE source_kind = 'committee'
),
sponsor_rel AS (
  SELECT 'sponsor.' || t.company_id || '.' || lower(t.cmte_id) AS id, t.company_id AS source, 'company' AS source_kind,
         lower(t.cmte_id) AS target, 'committee' AS target_kind, 'leadership' AS type,
         'connected organization (sponsor of the PAC)' AS role,
         CAST(NULL AS DECIMAL(38,2)) AS amount, CAST(NULL AS STRING) AS first_dt, CAST(NULL AS STRING) AS last_dt,
         'fec-cm;tech-employers' AS source_ids, 'FEC cm: ' || t.how AS evidence
  FROM tech_pacs t
  WHERE lower(t.cmte_id) IN (SELECT cmte FROM money_committees)
)
SELECT * FROM money
UNION ALL SELECT * FROM employee_rel
UNION ALL SELECT * FROM sponsor_rel

-- step: graph_committees (view)
SELECT DISTINCT upper(source) AS cmte_id FROM rel_core WHERE source_kind = 'committee'
UNION SELECT upper(target) FROM rel_core WHERE target_kind = 'committee'

-- step: candidate_links (table)
-- Committee -> candidate (beneficiary) through ccl.txt and cm.txt's CAND_ID, for committees in the graph.
WITH links AS (
  SELECT cmte_id, cand_id, 1 AS in_ccl, 0 AS in_cm, linkage_id FROM linkages WHERE problem IS NULL
  UNION ALL
  SELECT cmte_id, cand_id, 0, 1, '' FROM committees
  WHERE problem IS NULL AND regexp_extract(cand_id, '^[HSP][0-9][0-9A-Z]{7}$', 0) <> ''
)
SELECT l.cmte_id, l.cand_id, max(l.in_ccl) AS in_ccl, max(l.in_cm) AS in_cm, max(l.linkage_id) AS linkage_id,
       max(coalesce(c.dsgn, '')) AS dsgn
FROM links l LEFT JOIN committees c ON c.cmte_id = l.cmte_id AND c.problem IS NULL
WHERE l.cmte_id IN (SELECT cmte_id FROM graph_committees)
GROUP BY l.cmte_id, l.cand_id

-- step: out_relationships (view)
WITH links AS (
  SELECT 'candidate.' || lower(cmte_id) || '.' || lower(cand_id) AS id, lower(cmte_id) AS source,
         lower(cand_id) AS target, 'beneficiary' AS type,
         CASE dsgn WHEN 'P' THEN 'principal campaign committee' WHEN 'A' THEN 'authorized committee'
                   WHEN 'J' THEN 'joint fundraising committee' ELSE 'committee linked to the candidate' END AS role,
         CAST(NULL AS DECIMAL(38,2)) AS amount, CAST(NULL AS STRING) AS first_dt, CAST(NULL AS STRING) AS last_dt,
         CASE WHEN in_ccl = 1 AND in_cm = 1 THEN 'fec-ccl;fec-cm' WHEN in_ccl = 1 THEN 'fec-ccl' ELSE 'fec-cm' END AS source_ids,
         'FEC ' || CASE WHEN in_ccl = 1 THEN 'ccl linkage ' || linkage_id ELSE '' END
         || CASE WHEN in_ccl = 1 AND in_cm = 1 THEN ' and ' ELSE '' END
         || CASE WHEN in_cm = 1 THEN 'cm CAND_ID' ELSE '' END
         || CASE WHEN dsgn <> '' THEN ' (designation ' || dsgn || ')' ELSE '' END AS evidence
  FROM candidate_links
),
all_rel AS (
  SELECT id, source, target, type, role, amount, first_dt, last_dt, source_ids, evidence FROM rel_core
  UNION ALL SELECT * FROM links
)
SELECT id, source, target, type, NULLIF(role, '') AS role,
       CASE WHEN amount IS NOT NULL THEN @money(amount)@ END AS amount_usd,
       CASE WHEN amount IS NOT NULL THEN 'exact' END AS amount_qualifier,
       first_dt AS start_date, last_dt AS end_date, 'confirmed' AS status, 'false' AS aggregate,
       source_ids, evidence
FROM all_rel

-- step: out_entities (view)
WITH ends AS (
  SELECT source AS id, source_kind AS kind FROM rel_core
  UNION SELECT target, target_kind FROM rel_core
  UNION SELECT lower(cmte_id), 'committee' FROM candidate_links
  UNION SELECT lower(cand_id), 'candidate' FROM candidate_links
),
conduits AS (SELECT DISTINCT conduit AS cmte_id FROM gifts WHERE conduit IS NOT NULL),
donor_entities AS (
  SELECT d.donor_id AS id, d.name, CASE WHEN d.donor_kind = 'org' THEN 'organization' ELSE 'person' END AS type,
         d.aliases,
         CASE WHEN d.donor_kind = 'org' THEN 'Organization' ELSE 'Individual' END
         || ' contributor in FEC itcont; ZIP ' || d.zip5
         || CASE WHEN d.employer IS NOT NULL THEN '; employer ' || d.employer ELSE '' END
         || '; itcont rows: ' || CAST(d.n_rows AS STRING)
         || CASE WHEN d.n_variants > 1 THEN '; spellings merged: ' || CAST(d.n_variants AS STRING) || ' (see merge_log.csv)' ELSE '' END
         AS description, '' AS identifiers
  FROM donors d
  WHERE d.donor_id IN (SELECT id FROM ends WHERE kind IN ('donor', 'org'))
),
committee_entities AS (
  SELECT lower(e.cmte_id) AS id, coalesce(NULLIF(c.name, ''), e.cmte_id) AS name,
         CASE WHEN c.cmte_id IS NULL THEN 'committee'
              WHEN e.cmte_id IN (SELECT cmte_id FROM conduits) THEN 'committee'
              WHEN c.cmte_tp IN ('X', 'Y', 'Z') OR c.dsgn = 'J' THEN 'committee'
              WHEN c.dsgn IN ('P', 'A') OR c.cmte_tp IN ('H', 'S', 'P') THEN 'campaign'
              WHEN c.cmte_tp IN ('D', 'N', 'O', 'Q', 'U', 'V', 'W') OR c.dsgn IN ('B', 'D', 'U') THEN 'pac'
              ELSE 'committee' END AS type,
         '' AS aliases,
         'FEC committee ' || e.cmte_id
         || CASE WHEN c.cmte_id IS NULL THEN ' (not in cm.txt)'
                 ELSE ': ' || coalesce(lt.label, 'type ' || c.cmte_tp)
                      || CASE WHEN c.dsgn <> '' THEN ', ' || coalesce(ld.label, 'designation ' || c.dsgn) ELSE '' END
                      || CASE WHEN e.cmte_id IN (SELECT cmte_id FROM conduits) THEN ', conduit for earmarked contributions' ELSE '' END
                      || CASE WHEN c.party <> '' THEN '; party ' || c.party ELSE '' END
                      || CASE WHEN c.connected_org <> '' THEN '; connected organization ' || c.connected_org ELSE '' END
                      || CASE WHEN c.city <> '' THEN '; ' || c.city || CASE WHEN c.state <> '' THEN ', ' || c.state ELSE '' END ELSE '' END
            END AS description,
         CASE WHEN regexp_extract(e.cmte_id, '^C[0-9]{8}$', 0) <> '' THEN 'fec_committee:' || e.cmte_id ELSE '' END AS identifiers
  FROM (SELECT DISTINCT upper(id) AS cmte_id FROM ends WHERE kind = 'committee') e
  LEFT JOIN committees c ON c.cmte_id = e.cmte_id AND c.problem IS NULL
  LEFT JOIN code_labels lt ON lt.field = 'CMTE_TP' AND lt.code = c.cmte_tp
  LEFT JOIN code_labels ld ON ld.field = 'CMTE_DSGN' AND ld.code = c.dsgn
),
candidate_entities AS (
  SELECT lower(e.cand_id) AS id, coalesce(NULLIF(c.name, ''), e.cand_id) AS name, 'person' AS type, '' AS aliases,
         'FEC candidate ' || e.cand_id
         || CASE WHEN c.cand_id IS NULL THEN ' (not in cn.txt)'
                 ELSE ': ' || coalesce(lo.label, 'office ' || c.office)
                      || CASE WHEN c.office_st NOT IN ('', 'US') THEN ' (' || c.office_st
                              || CASE WHEN c.district NOT IN ('', '00') THEN '-' || c.district ELSE '' END || ')' ELSE '' END
                      || CASE WHEN c.party <> '' THEN ', ' || c.party ELSE '' END
                      || CASE WHEN c.election_yr <> '' THEN ', election year ' || c.election_yr ELSE '' END
                      || CASE WHEN c.pcc <> '' THEN '; principal committee ' || c.pcc ELSE '' END
            END AS description,
         CASE WHEN regexp_extract(e.cand_id, '^[HSP][0-9][0-9A-Z]{7}$', 0) <> '' THEN 'fec_candidate:' || e.cand_id ELSE '' END AS identifiers
  FROM (SELECT DISTINCT upper(id) AS cand_id FROM ends WHERE kind = 'candidate') e
  LEFT JOIN candidates c ON c.cand_id = e.cand_id AND c.problem IS NULL
  LEFT JOIN code_labels lo ON lo.field = 'CAND_OFFICE' AND lo.code = c.office
),
company_entities AS (
  SELECT t.company_id AS id, max(t.company) AS name, 'company' AS type, '' AS aliases,
         'Employer named in data/tech_employers.csv (name variants listed: ' || CAST(count(*) AS STRING) || ')' AS description,
         '' AS identifiers
  FROM tech_variants t
  WHERE t.company_id IN (SELECT id FROM ends WHERE kind = 'company')
  GROUP BY t.company_id
),
all_entities AS (
  SELECT * FROM donor_entities UNION ALL SELECT * FROM committee_entities
  UNION ALL SELECT * FROM candidate_entities UNION ALL SELECT * FROM company_entities
)
SELECT id, name, type, CAST(NULL AS STRING) AS name_ar, NULLIF(aliases, '') AS aliases, description,
       NULLIF(identifiers, '') AS identifiers
FROM all_entities

-- step: counted_gifts (view)
-- itcont rows whose pair has a positive net: the rows behind the donation relationships.
SELECT g.*, p.donor_id FROM gifts g
JOIN gift_pairs p ON p.donor_key = g.donor_key AND p.recipient = g.recipient
WHERE p.net > 0

-- step: out_exclusions (view)
WITH excluded AS (
  SELECT src, line, sub_id, problem AS reason, detail, record FROM tx WHERE problem IS NOT NULL
  UNION ALL SELECT src, line, '', problem, detail, record FROM committees WHERE problem IS NOT NULL
  UNION ALL SELECT src, line, '', problem, detail, record FROM candidates WHERE problem IS NOT NULL
  UNION ALL SELECT src, line, '', problem, detail, record FROM linkages WHERE problem IS NOT NULL
  UNION ALL
  SELECT c.src, c.line, c.sub_id, c.reason,
         CASE c.reason
           WHEN 'pas2_duplicate' THEN 'same SUB_ID as itpas2 line ' || CAST(c.kept_line AS STRING) || ', counted once from itpas2'
           WHEN 'duplicate_sub_id' THEN 'same SUB_ID as ' || f.file || ' line ' || CAST(c.kept_line AS STRING)
           WHEN 'memo' THEN 'memo entry (MEMO_CD X, type ' || c.tp || ') repeats money reported on another line'
           WHEN 'jfc_memo' THEN 'type ' || c.tp || ' is a share of a joint-fundraising transfer, counted where the fundraiser reported it'
           WHEN 'earmark_passthrough' THEN 'type ' || c.tp || ' is a conduit passing on an earmark, counted at the recipient''s 15E row'
           WHEN 'type_not_counted' THEN 'transaction type ''' || c.tp || ''' is not counted'
           WHEN 'committee_in_indiv' THEN 'contributor entity type ' || c.entity_tp || ' in the individual file; committee money is read from itoth'
           WHEN 'no_counterparty' THEN 'OTHER_ID ''' || c.other_id || ''' is not a committee id'
           WHEN 'self_transfer' THEN 'OTHER_ID is the filing committee itself'
           WHEN 'no_candidate' THEN 'an expenditure for or against a candidate that names no candidate id'
         END,
         CAST(NULL AS STRING)
  FROM classified c LEFT JOIN files f ON f.src = c.kept_src
  WHERE c.reason IS NOT NULL
  UNION ALL
  SELECT g.src, g.line, g.sub_id, 'net_not_positive',
         p.donor_id || ' to ' || g.recipient || ': given ' || @money(p.given)@ || ', refunded ' || @money(p.refunded)@
         || ', negative entries ' || @money(p.negative)@ || ', net ' || @money(p.net)@,
         CAST(NULL AS STRING)
  FROM gifts g JOIN gift_pairs p ON p.donor_key = g.donor_key AND p.recipient = g.recipient
  WHERE p.net <= 0
  UNION ALL
  SELECT src, line, sub_id, 'reported_by_giver',
         'type ' || tp || ': ' || giver || ' reported giving this money; counted once, from the giver''s report',
         CAST(NULL AS STRING)
  FROM committee_rows WHERE in_focus = 1 AND used = 0
  UNION ALL
  SELECT r.src, r.line, r.sub_id, 'net_not_positive',
         r.giver || ' to ' || r.receiver || ' (' || r.kind || '): net ' || @money(p.net)@, CAST(NULL AS STRING)
  FROM committee_rows r JOIN committee_pairs p ON p.giver = r.giver AND p.receiver = r.receiver AND p.kind = r.kind
  WHERE r.in_focus = 1 AND r.used = 1 AND p.net <= 0
)
SELECT f.file, e.line, NULLIF(e.sub_id, '') AS sub_id, e.reason, e.detail, NULLIF(e.record, '') AS record
FROM excluded e JOIN files f ON f.src = e.src

-- step: out_merge_log (view)
-- Every donor made of more than one spelling (or touched by an override), one row per spelling.
SELECT d.donor_id, v.how, v.name_key, v.zip5, v.name, NULLIF(v.employer_norm, '') AS employer,
       v.n_rows AS rows, @money(v.net)@ AS net_usd
FROM donor_variants v JOIN donors d ON d.donor_key = v.donor_key
WHERE d.n_variants > 1 OR v.how LIKE 'override%'

-- step: out_company_totals (view)
-- A company's employees' gifts (rows naming it as employer) beside its PAC's money, as OpenSecrets reports them.
WITH companies AS (
  SELECT company_id, max(company) AS company FROM tech_variants GROUP BY company_id
),
employees AS (
  SELECT company_id, count(DISTINCT donor_id) AS donors, count(*) AS n_rows, CAST(sum(signed) AS DECIMAL(38,2)) AS net
  FROM counted_gifts WHERE company_id IS NOT NULL GROUP BY company_id
),
pac_money AS (
  SELECT t.company_id, count(DISTINCT t.cmte_id) AS n_pacs, min(t.cmte_id) AS pac_a, max(t.cmte_id) AS pac_b,
         CAST(sum(CASE WHEN p.kind <> 'ie-oppose' AND p.net > 0 THEN p.net ELSE 0 END) AS DECIMAL(38,2)) AS given,
         CAST(sum(CASE WHEN p.kind = 'ie-oppose' AND p.net > 0 THEN p.net ELSE 0 END) AS DECIMAL(38,2)) AS opposing
  FROM tech_pacs t LEFT JOIN committee_pairs p ON p.giver = t.cmte_id
  GROUP BY t.company_id
)
SELECT c.company_id, c.company,
       CAST(coalesce(e.donors, 0) AS BIGINT) AS employee_donors, CAST(coalesce(e.n_rows, 0) AS BIGINT) AS employee_rows,
       @money(coalesce(e.net, CAST(0 AS DECIMAL(38,2))))@ AS employee_net_usd,
       NULLIF(concat_ws(';', lower(m.pac_a), CASE WHEN m.pac_b <> m.pac_a THEN lower(m.pac_b) END,
                        CASE WHEN m.n_pacs > 2 THEN 'and others' END), '') AS pacs,
       @money(coalesce(m.given, CAST(0 AS DECIMAL(38,2))))@ AS pac_given_usd,
       @money(coalesce(m.opposing, CAST(0 AS DECIMAL(38,2))))@ AS pac_opposing_usd
FROM companies c
LEFT JOIN employees e ON e.company_id = c.company_id
LEFT JOIN pac_money m ON m.company_id = c.company_id
WHERE e.company_id IS NOT NULL OR m.company_id IS NOT NULL

-- step: out_summary (view)
-- The facts behind the summary, in few groupings: network/fec/writing.py adds them up by section.
-- Columns: section, src, fate, k1..k5 (keys that depend on the section), rows, amount_usd.
WITH gift_facts AS (
  SELECT g.src,
         CASE WHEN p.donor_id IS NULL THEN 'not_tech_donor' WHEN p.net <= 0 THEN 'net_not_positive' ELSE 'counted' END AS fate,
         CASE WHEN g.kind = 'refund' THEN 'refund' WHEN g.signed < 0 THEN 'negative' ELSE 'gift' END AS k1,
         coalesce(g.conduit, '') AS k2, coalesce(g.company_id, '') AS k3, g.tp AS k4, CAST(g.swapped AS STRING) AS k5,
         g.signed AS amount
  FROM gifts g LEFT JOIN gift_pairs p ON p.donor_key = g.donor_key AND p.recipient = g.recipient
),
committee_facts AS (
  SELECT r.src,
         CASE WHEN r.in_focus = 0 THEN 'outside_tech_focus' WHEN r.used = 0 THEN 'reported_by_giver'
              WHEN p.net <= 0 THEN 'net_not_positive' ELSE 'counted' END AS fate,
         r.amount
  FROM committee_rows r LEFT JOIN committee_pairs p ON p.giver = r.giver AND p.receiver = r.receiver AND p.kind = r.kind
),
masters AS (
  SELECT src, problem FROM committees UNION ALL SELECT src, problem FROM candidates UNION ALL SELECT src, problem FROM linkages
),
facts AS (
  SELECT 'tx' AS section, src, coalesce(problem, '') AS fate, amndt AS k1, coalesce(substr(CAST(dt AS STRING), 1, 4), 'none') AS k2,
         '' AS k3, '' AS k4, '' AS k5, count(*) AS n, CAST(NULL AS DECIMAL(38,2)) AS amount
  FROM tx GROUP BY src, coalesce(problem, ''), amndt, coalesce(substr(CAST(dt AS STRING), 1, 4), 'none')
  UNION ALL
  SELECT 'master', src, coalesce(problem, ''), '', '', '', '', '', count(*), NULL FROM masters GROUP BY src, coalesce(problem, '')
  UNION ALL
  SELECT 'rule', src, reason, '', '', '', '', '', count(*), sum(amount) FROM classified WHERE reason IS NOT NULL GROUP BY src, reason
  UNION ALL
  SELECT 'gift', src, fate, k1, k2, k3, k4, k5, count(*), sum(amount) FROM gift_facts GROUP BY src, fate, k1, k2, k3, k4, k5
  UNION ALL
  SELECT 'committee', src, fate, '', '', '', '', '', count(*), sum(amount) FROM committee_facts GROUP BY src, fate
  UNION ALL
  SELECT 'donors', 'indiv', 'resolved', CAST(sum(CASE WHEN n_variants > 1 THEN 1 ELSE 0 END) AS STRING),
         CAST(sum(CASE WHEN tech_rows > 0 THEN 1 ELSE 0 END) AS STRING), '', '', '', count(*), NULL FROM donors
  UNION ALL
  SELECT 'donors', 'indiv', 'in_graph', '', '', '', '', '', count(*), NULL FROM graph_donors
  UNION ALL
  SELECT 'donors', 'indiv', 'override', how, '', '', '', '', count(DISTINCT donor_key), NULL FROM donor_variants
  WHERE how LIKE 'override%' GROUP BY how
)
SELECT section, src, fate, k1, k2, k3, k4, k5, CAST(n AS BIGINT) AS rows,
       CASE WHEN amount IS NOT NULL THEN @money(amount)@ END AS amount_usd
FROM facts
