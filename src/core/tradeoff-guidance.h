/* tradeoff-guidance.h
 *
 * Copyright 2026 The Tradeoff authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tradeoff-result.h"
#include "tradeoff-scenario.h"

G_BEGIN_DECLS

/* The articles' claims (data/guidance.json, format `tradeoff-guidance/1`)
 * and the verdicts the user's own results give them. Plain data: the claims
 * are loaded once and never change; verdicts are computed on demand from a
 * list of results and owned by the caller. The rule language is described
 * at the top of tradeoff-guidance.c. */

#define TRADEOFF_GUIDANCE_FORMAT "tradeoff-guidance/1"
#define TRADEOFF_GUIDANCE_RESOURCE "/io/github/tradeoff/Tradeoff/guidance.json"

#define TRADEOFF_GUIDANCE_ERROR (tradeoff_guidance_error_quark ())

typedef enum
{
  TRADEOFF_GUIDANCE_ERROR_PARSE,    /* not JSON, or not an object */
  TRADEOFF_GUIDANCE_ERROR_FORMAT,   /* unknown or missing "format" */
  TRADEOFF_GUIDANCE_ERROR_INVALID,  /* a bad field; the message names the claim and field */
} TradeoffGuidanceError;

typedef enum
{
  TRADEOFF_VERDICT_NOT_TESTED,
  TRADEOFF_VERDICT_SUPPORTED,
  TRADEOFF_VERDICT_CONTRADICTED,
  TRADEOFF_VERDICT_DEPENDS,
} TradeoffVerdictKind;

typedef struct
{
  char *key;        /* "000" */
  char *title;
  char *publisher;  /* nullable */
  char *date;       /* nullable, as the text gives it */
} TradeoffSource;

typedef struct _TradeoffRule TradeoffRule;

typedef struct
{
  char         *id;
  char         *paraphrase;     /* English; display through _() */
  GPtrArray    *sources;        /* TradeoffSource*, borrowed from the guidance */
  guint         workload_mask;  /* 1 << TradeoffWorkloadKind for each kind it speaks to */
  GPtrArray    *contradicts;    /* char*: ids of claims the documents set against it */
  char         *conflict_note;  /* English, nullable: how the documents disagree */
  JsonNode     *scenario;       /* "scenario" as written: inline scenario or {"preset", "overrides"} */
  TradeoffRule *rule;
} TradeoffClaim;

typedef struct
{
  char      *note;              /* English; display through _() */
  GPtrArray *claim_ids;         /* char* */
} TradeoffConflict;

typedef struct
{
  GPtrArray  *claims;           /* TradeoffClaim*, in file order */
  GPtrArray  *conflicts;        /* TradeoffConflict* */
  GHashTable *sources;          /* key -> TradeoffSource* */
} TradeoffGuidance;

/* One figure that decided a verdict. */
typedef struct
{
  char   *label;                /* translated: "pool with GIL, 8 workers" */
  char   *figure;               /* the figure's id: "throughput_per_s" */
  double  value;                /* in the figure's own unit (us, bytes, per s, cores) */
  char   *text;                 /* translated, formatted with its unit: "798 req/s" */
} TradeoffVerdictFigure;

typedef struct
{
  char                *claim_id;
  TradeoffVerdictKind  kind;
  char                *condition;   /* translated, nullable: when the claim holds (depends) */
  char                *evidence;    /* translated: the deciding figures, as a sentence */
  char                *basis;       /* translated, nullable: e.g. "judged on the real runtimes" */
  double               value;       /* the deciding ratio or value; NAN if none or combined */
  double               claimed;     /* the figure the article gives; NAN if none */
  GPtrArray           *figures;     /* TradeoffVerdictFigure* */
} TradeoffVerdict;

GQuark            tradeoff_guidance_error_quark   (void);

const char       *tradeoff_verdict_kind_to_string (TradeoffVerdictKind     kind);
/* Translated, for display: "Supported", "Contradicted", "Depends", "Not tested yet". */
const char       *tradeoff_verdict_kind_to_label  (TradeoffVerdictKind     kind);

TradeoffGuidance *tradeoff_guidance_new_from_data (const char             *data,
                                                   gssize                  length,
                                                   GError                **error);
TradeoffGuidance *tradeoff_guidance_new_from_file (const char             *path,
                                                   GError                **error);
/* The shipped claims, from core's GResource; loaded once and kept. The
 * shipped file is checked by tests, so this only fails on a broken build. */
TradeoffGuidance *tradeoff_guidance_get_default   (GError                **error);
void              tradeoff_guidance_free          (TradeoffGuidance       *self);

const TradeoffClaim *tradeoff_guidance_lookup     (const TradeoffGuidance *self,
                                                   const char             *claim_id);
const TradeoffSource *tradeoff_guidance_lookup_source (const TradeoffGuidance *self,
                                                       const char             *key);
/* The conflict group @claim_id belongs to, or NULL. */
const TradeoffConflict *tradeoff_guidance_find_conflict (const TradeoffGuidance *self,
                                                         const char             *claim_id);

gboolean          tradeoff_claim_speaks_to        (const TradeoffClaim    *claim,
                                                   TradeoffWorkloadKind    kind);
/* The ready scenario that tests @claim (a new copy, validated). */
TradeoffScenario *tradeoff_claim_dup_scenario     (const TradeoffClaim    *claim,
                                                   GError                **error);
/* "Python vs Node.js, BoomDevs, 2025" (translated separators). */
char             *tradeoff_source_format          (const TradeoffSource   *source);

/* @results: TradeoffResult*, borrowed; later results count as more recent. */
TradeoffVerdict  *tradeoff_guidance_judge         (const TradeoffGuidance *self,
                                                   const TradeoffClaim    *claim,
                                                   GPtrArray              *results);
/* One verdict per claim, in file order. */
GPtrArray        *tradeoff_guidance_judge_all     (const TradeoffGuidance *self,
                                                   GPtrArray              *results);

void              tradeoff_verdict_free           (TradeoffVerdict        *self);
/* {"id", "verdict", "condition", "evidence", "sources": [{"title", "publisher", "date"}],
 *  "basis", "value", "claimed", "figures": [...]} as FORMATS.md promises. */
JsonNode         *tradeoff_verdict_to_json        (const TradeoffVerdict  *self,
                                                   const TradeoffGuidance *guidance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffGuidance, tradeoff_guidance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TradeoffVerdict, tradeoff_verdict_free)

G_END_DECLS
