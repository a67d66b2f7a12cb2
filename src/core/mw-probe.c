/* mw-probe.c
 *
 * Our own probes of provider APIs.
 *
 * Level 1 (no key, always on): the catalog's api.probe request, whose
 * expected status (usually 401) proves that the front door, the WAF and
 * the auth layer answer. Level 2 (the user's key, opt-in per provider or
 * model): a free per-model call such as count_tokens. Level 3 (opt-in,
 * off by default): a tiny generation, within a daily budget persisted in
 * the history database.
 *
 * Classification, on purpose conservative in both directions:
 *   - expected status (2xx with a key)         -> reachable
 *   - 429                                      -> rate-limited: not an outage,
 *                                                 counts neither way
 *   - 5xx, 529, "overloaded", connection, TLS
 *     and timeout failures                     -> failing
 *   - anything else (400, 404 on the probe
 *     path, a redirect, 200 where 401 was
 *     expected, e.g. a captive portal)         -> unknown, "unexpected answer":
 *     counting it as reachable is a false UP, as failing a false DOWN
 *     caused by a stale catalog entry
 *   - with a key: 404 on a model               -> unknown, the model is retired
 *                 401/403                      -> unknown, the key is rejected
 *
 * Damping: 3 failing probes in a row make a partial outage, 2 successes
 * bring it back; a latency over 3x the rolling median of the last
 * successes (and at least 200 ms over it) for 3 probes in a row is
 * "degraded". Without damping (`status --once`) each probe is taken as
 * observed. While the machine is offline nothing is sent and every state
 * says so, so that our own network is never blamed on a provider.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "mw-history.h"
#include "mw-probe.h"
#include "mw-reader.h"
#include "mw-secrets.h"

#define FAIL_THRESHOLD       3
#define RECOVER_THRESHOLD    2
#define SPIKE_THRESHOLD      3
#define SPIKE_FACTOR         3
#define SPIKE_MIN_EXCESS_US  (200 * G_TIME_SPAN_MILLISECOND)
#define BASELINE_SIZE        20
#define BASELINE_MIN         3
#define KEY_CACHE_US         (10 * G_TIME_SPAN_MINUTE)

/* An upper bound for the cost of a generation probe, at flagship prices
 * (USD per token), because the catalog carries no prices: the estimate
 * shown beside the budget never understates the spend. */
#define PRICE_INPUT_PER_TOKEN   (15.0 / 1e6)
#define PRICE_OUTPUT_PER_TOKEN  (75.0 / 1e6)

#define PING_PROMPT     "ping"
#define PONG_PROMPT     "Reply with the word pong."

typedef enum {
  LEVEL_API = 1,
  LEVEL_FREE,
  LEVEL_GENERATE,
} Level;

typedef enum {
  OUTCOME_OK,
  OUTCOME_RATE_LIMITED,
  OUTCOME_FAILING,
  OUTCOME_UNKNOWN,      /* an answer that says nothing about the provider's health */
  OUTCOME_CANCELLED,
} OutcomeKind;

typedef struct {
  OutcomeKind  kind;
  gint64       latency_us;   /* -1 when there was no answer */
  char        *label;        /* short: "HTTP 503", "timeout" */
  char        *error;        /* one line, or NULL */
  char        *detail;       /* for OK and UNKNOWN: the whole detail string */
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->label, g_free);
  g_clear_pointer (&o->error, g_free);
  g_clear_pointer (&o->detail, g_free);
}

/* The damped state of one probe target: a provider's API or one model. */
typedef struct {
  MwProbeState *state;         /* NULL until the first result */
  MwHealth      damped;
  guint         fail_streak;
  guint         ok_streak;
  guint         spike_streak;
  GArray       *latencies;     /* of gint64 us, successes, oldest first */
} Track;

static Track *
track_new (void)
{
  Track *t = g_new0 (Track, 1);

  t->damped = MW_HEALTH_UNKNOWN;
  t->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  return t;
}

static void
track_free (gpointer data)
{
  Track *t = data;

  g_clear_pointer (&t->state, mw_probe_state_free);
  g_array_unref (t->latencies);
  g_free (t);
}

typedef struct {
  MwProber     *prober;        /* unowned: runs die with their prober */
  char         *provider_id;
  Track        *api;           /* level 1 */
  GHashTable   *models;        /* global id -> Track* */
  GHashTable   *model_states;  /* global id -> MwProbeState* (the tracks' own) */

  guint         timer_id;
  gboolean      in_flight;
  guint         pending;
  GPtrArray    *waiters;       /* of GTask* (mw_prober_check_async) */
  GCancellable *cancellable;
  gint64        not_before_us; /* Retry-After */

  char         *key;           /* cached; wiped on release */
  char         *key_error;     /* why there is none */
  gint64        key_at_us;
} ProviderRun;

struct _MwProber
{
  GObject          parent_instance;

  MwCatalog       *catalog;
  MwFetcher       *fetcher;
  GHashTable      *runs;          /* provider id -> ProviderRun* */
  guint            interval;
  gboolean         damping;
  gboolean         running;

  GNetworkMonitor *monitor;
  gulong           network_handler;
  gboolean         network_available;
  int              network_override; /* -1: follow the monitor */

  guint            daily_budget;
  int              generate_spacing; /* -1: the day / the budget */
  char            *history_path;
  MwHistory       *history;
  gboolean         history_failed;
};

G_DEFINE_FINAL_TYPE (MwProber, mw_prober, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_round (ProviderRun *run);
static void schedule_run (ProviderRun *run,
                          gint64       delay_us);

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

static char *
format_latency (gint64 us)
{
  if (us < G_TIME_SPAN_SECOND)
    return g_strdup_printf (_("%d ms"), (int) (us / 1000));

  return g_strdup_printf (_("%.1f s"), (double) us / G_TIME_SPAN_SECOND);
}

static char *
format_seconds (gint64 us)
{
  return g_strdup_printf (_("%.1f s"), (double) us / G_TIME_SPAN_SECOND);
}

/* ------------------------------------------------------------------ */
/* Damping                                                             */

static gint64
median (GArray *values)
{
  g_autoptr(GArray) sorted = NULL;
  gint64 *v;

  sorted = g_array_copy (values);
  v = (gint64 *) (void *) sorted->data;
  /* tiny arrays: insertion sort */
  for (guint i = 1; i < sorted->len; i++)
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        gint64 tmp = v[j];

        v[j] = v[j - 1];
        v[j - 1] = tmp;
      }

  /* the lower middle, so that one slow sample in an even window is not
   * half of the baseline */
  return v[(sorted->len - 1) / 2];
}

static void
track_set (Track      *t,
           MwHealth    health,
           gint64      latency_us,
           const char *error,
           const char *detail)
{
  if (t->state == NULL)
    t->state = mw_probe_state_new ();

  t->state->health = health;
  t->state->latency_ms = latency_us >= 0 ? latency_us / 1000 : -1;
  g_clear_pointer (&t->state->checked_at, g_date_time_unref);
  t->state->checked_at = g_date_time_new_now_utc ();
  g_free (t->state->error);
  t->state->error = g_strdup (error);
  g_free (t->state->detail);
  t->state->detail = g_strdup (detail);
}

static void
track_apply (Track         *t,
             const Outcome *o,
             gboolean       damping,
             gboolean       check_spike)
{
  switch (o->kind)
    {
    case OUTCOME_OK:
      {
        gint64 baseline = -1;
        gboolean spike = FALSE;
        g_autofree char *detail = NULL;

        if (check_spike && o->latency_us >= 0)
          {
            if (t->latencies->len >= BASELINE_MIN)
              baseline = median (t->latencies);
            spike = baseline > 0 &&
                    o->latency_us > SPIKE_FACTOR * baseline &&
                    o->latency_us - baseline >= SPIKE_MIN_EXCESS_US;

            /* a lasting slowdown becomes the new normal once it fills
             * half of the window, rather than "degraded" forever */
            g_array_append_val (t->latencies, o->latency_us);
            if (t->latencies->len > BASELINE_SIZE)
              g_array_remove_index (t->latencies, 0);
          }

        t->fail_streak = 0;
        if (spike)
          {
            t->spike_streak++;
            t->ok_streak = 0;
          }
        else
          {
            t->spike_streak = 0;
            t->ok_streak++;
          }

        if (spike)
          {
            g_autofree char *now = format_seconds (o->latency_us);
            g_autofree char *usual = format_seconds (baseline);

            if (!damping || t->spike_streak >= SPIKE_THRESHOLD)
              {
                t->damped = MW_HEALTH_DEGRADED;
                detail = g_strdup_printf (_("latency spike: %s vs %s usual"), now, usual);
              }
            else
              {
                if (t->damped == MW_HEALTH_UNKNOWN)
                  t->damped = MW_HEALTH_OPERATIONAL;
                detail = g_strdup_printf (_("latency spike %u/%u: %s vs %s usual"),
                                          t->spike_streak, SPIKE_THRESHOLD, now, usual);
              }
          }
        else if (damping && t->damped > MW_HEALTH_OPERATIONAL && t->ok_streak < RECOVER_THRESHOLD)
          {
            g_autofree char *lat = format_latency (o->latency_us);

            detail = g_strdup_printf (_("recovering %u/%u (%s)"), t->ok_streak, RECOVER_THRESHOLD, lat);
          }
        else
          {
            t->damped = MW_HEALTH_OPERATIONAL;
            detail = g_strdup (o->detail);
          }

        track_set (t, t->damped, o->latency_us, NULL, detail);
      }
      break;

    case OUTCOME_RATE_LIMITED:
      /* the API answered, in order: proof of life, but no latency sample
       * (edges answer 429 fast) and no step either way */
      if (t->damped == MW_HEALTH_UNKNOWN)
        t->damped = MW_HEALTH_OPERATIONAL;
      {
        g_autofree char *detail = g_strdup_printf (_("rate-limited (%s)"), o->label);

        track_set (t, t->damped, o->latency_us, NULL, detail);
      }
      break;

    case OUTCOME_FAILING:
      {
        g_autofree char *detail = NULL;

        t->fail_streak++;
        t->ok_streak = 0;
        t->spike_streak = 0;

        if (!damping)
          {
            t->damped = MW_HEALTH_PARTIAL_OUTAGE;
            detail = g_strdup_printf (_("failing (%s)"), o->label);
          }
        else
          {
            if (t->fail_streak >= FAIL_THRESHOLD)
              t->damped = MW_HEALTH_PARTIAL_OUTAGE;
            detail = g_strdup_printf (_("failing %u/%u (%s)"),
                                      MIN (t->fail_streak, FAIL_THRESHOLD), FAIL_THRESHOLD,
                                      o->label);
          }

        track_set (t, t->damped, o->latency_us, o->error, detail);
      }
      break;

    case OUTCOME_UNKNOWN:
      t->fail_streak = t->ok_streak = t->spike_streak = 0;
      t->damped = MW_HEALTH_UNKNOWN;
      track_set (t, MW_HEALTH_UNKNOWN, o->latency_us, o->error, o->detail);
      break;

    case OUTCOME_CANCELLED:
    default:
      break;
    }
}

static void
track_set_offline (Track *t)
{
  const char *why = _("offline — probes paused");

  t->fail_streak = t->ok_streak = t->spike_streak = 0;
  t->damped = MW_HEALTH_UNKNOWN;
  track_set (t, MW_HEALTH_UNKNOWN, -1, why, why);
}

/* ------------------------------------------------------------------ */
/* Classification                                                      */

static gboolean
status_expected (const MwApi *api,
                 guint        status)
{
  if (api->expect == NULL || api->expect->len == 0)
    return status == 401 || status == 403 || SOUP_STATUS_IS_SUCCESSFUL (status);

  for (guint i = 0; i < api->expect->len; i++)
    if (g_array_index (api->expect, guint, i) == status)
      return TRUE;

  return FALSE;
}

static gboolean
body_says_overloaded (GBytes *body)
{
  gsize len;
  const char *data;
  g_autofree char *lower = NULL;

  if (body == NULL)
    return FALSE;

  data = g_bytes_get_data (body, &len);
  if (len == 0)
    return FALSE;

  lower = g_ascii_strdown (data, (gssize) MIN (len, 64 * 1024));
  return strstr (lower, "overloaded") != NULL;
}

/* Transport failures: all "failing", with a label a person understands.
 * The fetcher's messages already name the host. */
static void
classify_error (Outcome     *o,
                const char  *host,
                GError      *error)
{
  g_autofree char *lower = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      o->kind = OUTCOME_CANCELLED;
      return;
    }

  o->kind = OUTCOME_FAILING;
  o->latency_us = -1;
  o->error = g_strdup (error->message);
  lower = g_ascii_strdown (error->message, -1);

  if (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TIMEOUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    o->label = g_strdup (_("timeout"));
  else if (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_TOO_LARGE))
    {
      /* a probe answer of megabytes is not the API's */
      o->kind = OUTCOME_UNKNOWN;
      o->detail = g_strdup (_("unexpected answer (too large)"));
    }
  else if (error->domain == G_TLS_ERROR || strstr (lower, "tls") != NULL ||
           strstr (lower, "certificate") != NULL)
    o->label = g_strdup (_("TLS failure"));
  else
    o->label = g_strdup (_("connection failed"));

}

/* What every level shares: 429, 5xx/529/overloaded, redirects. Returns
 * TRUE when it classified the answer. */
static gboolean
classify_common (Outcome       *o,
                 const char    *host,
                 MwFetchResult *r)
{
  o->latency_us = r->latency_us;

  if (r->status == 429)
    {
      o->kind = OUTCOME_RATE_LIMITED;
      o->label = g_strdup_printf (_("HTTP %u"), r->status);
      return TRUE;
    }

  if (r->status >= 500 || r->status == 529)
    {
      o->kind = OUTCOME_FAILING;
      o->label = g_strdup_printf (_("HTTP %u"), r->status);
      o->error = g_strdup_printf (_("%s answered HTTP %u"), host, r->status);
      return TRUE;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (r->status) && body_says_overloaded (r->body))
    {
      o->kind = OUTCOME_FAILING;
      o->label = g_strdup_printf (_("overloaded, HTTP %u"), r->status);
      o->error = g_strdup_printf (_("%s says it is overloaded (HTTP %u)"), host, r->status);
      return TRUE;
    }

  if (SOUP_STATUS_IS_REDIRECTION (r->status))
    {
      o->kind = OUTCOME_UNKNOWN;
      o->detail = g_strdup_printf (_("unexpected answer (HTTP %u)"), r->status);
      o->error = g_strdup_printf (_("%s redirected the probe elsewhere (HTTP %u); probes do not follow redirects"),
                                  host, r->status);
      return TRUE;
    }

  return FALSE;
}

static void
classify_api (Outcome       *o,
              const MwApi   *api,
              const char    *host,
              MwFetchResult *r)
{
  if (status_expected (api, r->status))
    {
      g_autofree char *lat = format_latency (r->latency_us);

      o->kind = OUTCOME_OK;
      o->latency_us = r->latency_us;
      o->detail = g_strdup_printf (_("reachable (%s)"), lat);
      return;
    }

  if (classify_common (o, host, r))
    return;

  o->kind = OUTCOME_UNKNOWN;
  o->detail = g_strdup_printf (_("unexpected answer (HTTP %u)"), r->status);
  o->error = g_strdup_printf (_("%s answered HTTP %u, which its probe does not expect; the catalog entry may be out of date"),
                              host, r->status);
}

/* With a key: 2xx works, 404 is a model the API does not know, 401/403
 * a key problem; none of those is the provider's outage. */
static gboolean
classify_keyed (Outcome       *o,
                const char    *host,
                const char    *model,
                MwFetchResult *r)
{
  if (SOUP_STATUS_IS_SUCCESSFUL (r->status))
    return FALSE;   /* the caller decides what a good answer is */

  if (classify_common (o, host, r))
    return TRUE;

  o->kind = OUTCOME_UNKNOWN;
  if (r->status == 404)
    {
      o->detail = g_strdup_printf (_("model retired or unknown to the API (HTTP %u)"), r->status);
      o->error = g_strdup_printf (_("%s does not know the model %s (HTTP %u)"), host, model, r->status);
    }
  else if (r->status == 401 || r->status == 403)
    {
      o->detail = g_strdup_printf (_("key rejected (HTTP %u)"), r->status);
      o->error = g_strdup_printf (_("%s rejected the API key (HTTP %u)"), host, r->status);
    }
  else
    {
      o->detail = g_strdup_printf (_("unexpected answer (HTTP %u)"), r->status);
      o->error = g_strdup_printf (_("%s answered HTTP %u to the probe of %s"), host, r->status, model);
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Request templates                                                   */

typedef enum {
  FAMILY_ANTHROPIC,   /* x-api-key */
  FAMILY_GEMINI,      /* x-goog-api-key */
  FAMILY_OPENAI,      /* Authorization: Bearer, OpenAI-compatible */
} Family;

static Family
api_family (const MwProvider *provider)
{
  const char *auth = provider->api->auth;

  if (auth != NULL)
    {
      if (g_ascii_strcasecmp (auth, "x-api-key") == 0)
        return FAMILY_ANTHROPIC;
      if (g_ascii_strcasecmp (auth, "x-goog-api-key") == 0)
        return FAMILY_GEMINI;
      return FAMILY_OPENAI;
    }

  if (g_str_equal (provider->id, "anthropic"))
    return FAMILY_ANTHROPIC;
  if (g_str_equal (provider->id, "google") || g_str_equal (provider->id, "gemini"))
    return FAMILY_GEMINI;

  return FAMILY_OPENAI;
}

/* "/openai/v1/models" -> "/openai/v1": OpenAI-compatible APIs keep their
 * other endpoints beside the models list the level-1 probe reads. */
static char *
openai_prefix (const MwApi *api)
{
  const char *path = api->probe.path;

  if (path != NULL && g_str_has_suffix (path, "/models"))
    return g_strndup (path, strlen (path) - strlen ("/models"));
  if (path != NULL && g_str_has_suffix (path, "/chat/completions"))
    return g_strndup (path, strlen (path) - strlen ("/chat/completions"));

  return g_strdup ("/v1");
}

static void
builtin_template (const MwProvider  *provider,
                  Level              level,
                  MwRequestTemplate *out)
{
  Family family = api_family (provider);
  g_autofree char *prefix = NULL;

  switch (family)
    {
    case FAMILY_ANTHROPIC:
      out->method = g_strdup ("POST");
      if (level == LEVEL_FREE)
        {
          out->path = g_strdup ("/v1/messages/count_tokens");
          out->body = g_strdup ("{\"model\": \"{model}\", \"messages\": [{\"role\": \"user\", \"content\": \"" PING_PROMPT "\"}]}");
        }
      else
        {
          /* extended thinking is off unless asked for */
          out->path = g_strdup ("/v1/messages");
          out->body = g_strdup ("{\"model\": \"{model}\", \"max_tokens\": 16, "
                                "\"messages\": [{\"role\": \"user\", \"content\": \"" PONG_PROMPT "\"}]}");
        }
      break;

    case FAMILY_GEMINI:
      out->method = g_strdup ("POST");
      if (level == LEVEL_FREE)
        {
          out->path = g_strdup ("/v1beta/models/{model}:countTokens");
          out->body = g_strdup ("{\"contents\": [{\"parts\": [{\"text\": \"" PING_PROMPT "\"}]}]}");
        }
      else
        {
          /* thinking cannot be turned off on every Gemini model; 64 tokens
           * let a thinking model answer or stop at the budget, and either
           * proves the model path works */
          out->path = g_strdup ("/v1beta/models/{model}:generateContent");
          out->body = g_strdup ("{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"" PONG_PROMPT "\"}]}], "
                                "\"generationConfig\": {\"maxOutputTokens\": 64}}");
        }
      break;

    case FAMILY_OPENAI:
    default:
      prefix = openai_prefix (provider->api);
      if (level == LEVEL_FREE)
        {
          out->method = g_strdup ("GET");
          out->path = g_strdup_printf ("%s/models/{model}", prefix);
        }
      else
        {
          out->method = g_strdup ("POST");
          out->path = g_strdup_printf ("%s/chat/completions", prefix);
          /* OpenAI's reasoning models refuse max_tokens and need room to
           * think; other OpenAI-compatible APIs only know max_tokens */
          if (g_str_equal (provider->id, "openai"))
            out->body = g_strdup ("{\"model\": \"{model}\", \"messages\": [{\"role\": \"user\", \"content\": \"" PONG_PROMPT "\"}], "
                                  "\"max_completion_tokens\": 64}");
          else
            out->body = g_strdup ("{\"model\": \"{model}\", \"messages\": [{\"role\": \"user\", \"content\": \"" PONG_PROMPT "\"}], "
                                  "\"max_tokens\": 64}");
        }
      break;
    }
}

static char *
json_escape (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static char *
replace_model (const char *text,
               const char *replacement)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;

  parts = g_strsplit (text, "{model}", -1);
  return g_strjoinv (replacement, parts);
}

typedef enum {
  AUTH_NONE,
  AUTH_X_API_KEY,
  AUTH_BEARER,
  AUTH_GOOG,
} AuthKind;

static AuthKind
auth_kind (const MwProvider *provider)
{
  switch (api_family (provider))
    {
    case FAMILY_ANTHROPIC:
      return AUTH_X_API_KEY;
    case FAMILY_GEMINI:
      return AUTH_GOOG;
    case FAMILY_OPENAI:
    default:
      return AUTH_BEARER;
    }
}

/* Builds the request of a template; with a key only when the destination
 * rule allows it (mw_secret_check_destination()). */
static SoupMessage *
build_message (MwProber                *self,
               const MwProvider        *provider,
               const MwRequestTemplate *tmpl,
               const char              *model_id,
               const char              *key,
               GError                 **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;
  gboolean has_version = FALSE;

  if (model_id != NULL)
    {
      g_autofree char *escaped_path = g_uri_escape_string (model_id, "/:@", FALSE);
      g_autofree char *escaped_json = json_escape (model_id);

      path = replace_model (tmpl->path, escaped_path);
      body = replace_model (tmpl->body, escaped_json);
    }
  else
    {
      path = g_strdup (tmpl->path);
      body = g_strdup (tmpl->body);
    }

  url = mw_url_join (provider->api->base_url, path);

  if (key != NULL && !mw_secret_check_destination (self->catalog, provider, url, error))
    return NULL;

  msg = soup_message_new (tmpl->method != NULL ? tmpl->method : "GET", url);
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The probe URL of %s is not valid"), provider->id);
      return NULL;
    }

  /* a redirect would carry the key to whatever the answer names, and a
   * redirected probe proves nothing about the API anyway */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (msg);
  if (provider->api->headers != NULL)
    for (guint i = 0; i < provider->api->headers->len; i++)
      {
        const char *line = g_ptr_array_index (provider->api->headers, i);
        const char *colon = strchr (line, ':');
        g_autofree char *name = NULL;
        g_autofree char *value = NULL;

        if (colon == NULL)
          continue;
        name = g_strstrip (g_strndup (line, (gsize) (colon - line)));
        value = g_strstrip (g_strdup (colon + 1));
        if (g_ascii_strcasecmp (name, "anthropic-version") == 0)
          has_version = TRUE;
        soup_message_headers_replace (headers, name, value);
      }

  if (key != NULL)
    {
      switch (auth_kind (provider))
        {
        case AUTH_X_API_KEY:
          soup_message_headers_replace (headers, "x-api-key", key);
          if (!has_version)
            soup_message_headers_replace (headers, "anthropic-version", "2023-06-01");
          break;
        case AUTH_GOOG:
          soup_message_headers_replace (headers, "x-goog-api-key", key);
          break;
        case AUTH_BEARER:
          {
            g_autofree char *bearer = g_strconcat ("Bearer ", key, NULL);

            soup_message_headers_replace (headers, "Authorization", bearer);
            secret_password_wipe (bearer);
          }
          break;
        case AUTH_NONE:
        default:
          break;
        }
    }

  if (body != NULL)
    {
      gsize len = strlen (body);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return g_steal_pointer (&msg);
}

/* ------------------------------------------------------------------ */
/* Provider runs                                                       */

static void
run_forget_key (ProviderRun *run)
{
  g_clear_pointer (&run->key, mw_secret_free);
  g_clear_pointer (&run->key_error, g_free);
  run->key_at_us = 0;
}

static void
run_free (gpointer data)
{
  ProviderRun *run = data;

  g_clear_handle_id (&run->timer_id, g_source_remove);
  if (run->cancellable != NULL)
    g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->api, track_free);
  g_hash_table_unref (run->model_states);
  g_hash_table_unref (run->models);
  g_ptr_array_unref (run->waiters);
  run_forget_key (run);
  g_free (run->provider_id);
  g_free (run);
}

static const MwProvider *
run_provider (ProviderRun *run)
{
  return mw_catalog_find_provider (run->prober->catalog, run->provider_id);
}

static gboolean
provider_has_api_probe (const MwProvider *provider)
{
  return provider->api != NULL && provider->api->base_url != NULL && provider->api->probe.path != NULL;
}

static gboolean
provider_has_model_probes (const MwProvider *provider)
{
  if (provider->api == NULL || provider->api->base_url == NULL)
    return FALSE;

  for (guint i = 0; i < provider->models->len; i++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, i);

      if (model->model_probe != MW_MODEL_PROBE_OFF)
        return TRUE;
    }

  return FALSE;
}

static gboolean
run_network_ok (ProviderRun      *run,
                const MwProvider *provider)
{
  MwProber *self = run->prober;

  if (self->network_override >= 0)
    return self->network_override != 0;

  /* our own test servers and local gateways do not need the internet */
  if (mw_url_is_loopback (provider->api->base_url))
    return TRUE;

  return self->network_available;
}

static Track *
run_model_track (ProviderRun *run,
                 const char  *global_id)
{
  Track *t = g_hash_table_lookup (run->models, global_id);

  if (t == NULL)
    {
      t = track_new ();
      g_hash_table_insert (run->models, g_strdup (global_id), t);
    }

  return t;
}

static void
run_publish_model (ProviderRun *run,
                   const char  *global_id,
                   Track       *t)
{
  if (t->state != NULL && g_hash_table_lookup (run->model_states, global_id) != t->state)
    g_hash_table_insert (run->model_states, g_strdup (global_id), t->state);
}

static void
run_set_offline (ProviderRun      *run,
                 const MwProvider *provider)
{
  if (provider_has_api_probe (provider))
    {
      if (run->api == NULL)
        run->api = track_new ();
      track_set_offline (run->api);
    }

  for (guint i = 0; i < provider->models->len; i++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, i);
      Track *t;

      if (model->model_probe == MW_MODEL_PROBE_OFF)
        continue;
      t = run_model_track (run, model->global_id);
      track_set_offline (t);
      run_publish_model (run, model->global_id, t);
    }
}

static gint64
jittered (guint seconds)
{
  gint64 base = (gint64) seconds * G_TIME_SPAN_SECOND;
  gint64 spread = base / 10;

  if (spread <= 0)
    return base;

  return base - spread + g_random_int_range (0, (gint32) MIN (2 * spread, G_MAXINT32 - 1) + 1);
}

static void
run_release (ProviderRun *run)
{
  MwProber *self = run->prober;
  g_autoptr(GPtrArray) waiters = NULL;
  gint64 delay;

  g_assert (run->pending > 0);
  if (--run->pending > 0)
    return;

  run->in_flight = FALSE;
  g_clear_object (&run->cancellable);

  g_signal_emit (self, signals[CHANGED], 0, run->provider_id);

  waiters = g_steal_pointer (&run->waiters);
  run->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      guint *remaining = g_task_get_task_data (task);

      if (--(*remaining) == 0)
        g_task_return_boolean (task, TRUE);
    }

  if (self->running)
    {
      const MwProvider *provider = run_provider (run);
      guint interval = self->interval;

      /* real APIs are not probed more often than every 30 s, whatever
       * --interval says; our test servers are */
      if (provider == NULL || provider->api == NULL || !mw_url_is_loopback (provider->api->base_url))
        interval = MAX (interval, MW_PROBE_MIN_INTERVAL);
      delay = jittered (interval);
      if (run->not_before_us > g_get_monotonic_time ())
        delay = MAX (delay, run->not_before_us - g_get_monotonic_time ());
      schedule_run (run, delay);
    }
}

static void
run_note_retry_after (ProviderRun   *run,
                      MwFetchResult *r)
{
  if (r->retry_after > 0)
    run->not_before_us = g_get_monotonic_time () + MIN (r->retry_after, 3600) * G_TIME_SPAN_SECOND;
}

/* ------------------------------------------------------------------ */
/* Level 1                                                             */

typedef struct {
  ProviderRun *run;
  MwProber    *prober;   /* a reference, so that the run outlives the request */
  char        *host;
  char        *global_id;
  char        *model_id;
  Level        level;
  char        *day;      /* level 3: the day the call was counted on */
  MwProbeSpend spend;
  gboolean     show_spend;
} Request;

static Request *
request_new (ProviderRun      *run,
             const MwProvider *provider,
             Level             level)
{
  Request *req = g_new0 (Request, 1);

  req->run = run;
  req->prober = g_object_ref (run->prober);
  req->host = mw_url_host (provider->api->base_url);
  req->level = level;
  run->pending++;
  return req;
}

static void
request_free (Request *req)
{
  g_free (req->host);
  g_free (req->global_id);
  g_free (req->model_id);
  g_free (req->day);
  g_object_unref (req->prober);
  g_free (req);
}

static void
api_probe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *req = user_data;
  ProviderRun *run = req->run;
  const MwProvider *provider = run_provider (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFetchResult) r = NULL;
  Outcome o = { OUTCOME_OK, -1, NULL, NULL, NULL };

  r = mw_fetcher_send_finish (MW_FETCHER (object), result, &error);
  if (r == NULL)
    classify_error (&o, req->host, error);
  else
    {
      classify_api (&o, provider->api, req->host, r);
      run_note_retry_after (run, r);
    }

  g_debug ("probe %s: %s", run->provider_id,
           o.kind == OUTCOME_CANCELLED ? "cancelled" : o.label != NULL ? o.label : o.detail);

  if (o.kind != OUTCOME_CANCELLED)
    {
      if (run->api == NULL)
        run->api = track_new ();
      track_apply (run->api, &o, req->prober->damping, TRUE);
    }

  outcome_clear (&o);
  run_release (run);
  request_free (req);
}

static void
send_api_probe (ProviderRun      *run,
                const MwProvider *provider)
{
  MwProber *self = run->prober;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  msg = build_message (self, provider, &provider->api->probe, NULL, NULL, &error);
  if (msg == NULL)
    {
      Outcome o = { OUTCOME_UNKNOWN, -1, NULL, g_strdup (error->message), g_strdup (error->message) };

      if (run->api == NULL)
        run->api = track_new ();
      track_apply (run->api, &o, self->damping, FALSE);
      outcome_clear (&o);
      return;
    }

  mw_fetcher_send_async (self->fetcher, msg, run->cancellable, api_probe_cb,
                         request_new (run, provider, LEVEL_API));
}

/* ------------------------------------------------------------------ */
/* Levels 2 and 3                                                      */

static guint
prober_spacing (MwProber *self)
{
  if (self->generate_spacing >= 0)
    return (guint) self->generate_spacing;

  return self->daily_budget > 0 ? 86400 / self->daily_budget : 86400;
}

static MwHistory *
prober_history (MwProber  *self,
                GError   **error)
{
  if (self->history == NULL && !self->history_failed)
    {
      self->history = mw_history_new (self->history_path, error);
      /* do not retry every minute; the budget then blocks generation */
      self->history_failed = self->history == NULL;
      return self->history;
    }

  /* NULL without an error: it failed before, and was said then */
  return self->history;
}

static char *
format_spend (MwProber           *self,
              const MwProbeSpend *spend)
{
  return g_strdup_printf (_("%u/%u calls today, ≤ $%.4f"),
                          spend->calls, self->daily_budget, spend->cost_usd);
}

static gint64
json_int (JsonObject *object,
          const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return -1;

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;

  return json_node_get_int (node);
}

static gboolean
has_nonempty_array (JsonObject *root,
                    const char *member)
{
  JsonNode *node;

  if (!json_object_has_member (root, member))
    return FALSE;

  node = json_object_get_member (root, member);
  return JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0;
}

/* A generation answer has the shape of its API (Messages "content",
 * Chat Completions "choices", Gemini "candidates") and reports its usage. */
static gboolean
parse_generation (GBytes *body,
                  gint64 *input_tokens,
                  gint64 *output_tokens)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *usage;
  gsize len;
  const char *data;

  *input_tokens = *output_tokens = -1;

  if (body == NULL)
    return FALSE;
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  root = json_node_get_object (json_parser_get_root (parser));
  if (!has_nonempty_array (root, "content") &&
      !has_nonempty_array (root, "choices") &&
      !has_nonempty_array (root, "candidates"))
    return FALSE;

  usage = mw_json_get_object (root, "usage");
  if (usage != NULL)
    {
      *input_tokens = json_int (usage, "input_tokens");
      *output_tokens = json_int (usage, "output_tokens");
      if (*input_tokens < 0)
        *input_tokens = json_int (usage, "prompt_tokens");
      if (*output_tokens < 0)
        *output_tokens = json_int (usage, "completion_tokens");
    }

  usage = mw_json_get_object (root, "usageMetadata");
  if (usage != NULL)
    {
      gint64 thoughts = json_int (usage, "thoughtsTokenCount");

      *input_tokens = json_int (usage, "promptTokenCount");
      *output_tokens = json_int (usage, "candidatesTokenCount");
      if (thoughts > 0)
        *output_tokens = MAX (*output_tokens, 0) + thoughts;
    }

  return TRUE;
}

static void
model_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Request *req = user_data;
  ProviderRun *run = req->run;
  MwProber *self = req->prober;
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFetchResult) r = NULL;
  Outcome o = { OUTCOME_OK, -1, NULL, NULL, NULL };
  Track *t;

  r = mw_fetcher_send_finish (MW_FETCHER (object), result, &error);
  if (r == NULL)
    classify_error (&o, req->host, error);
  else
    run_note_retry_after (run, r);

  if (r != NULL && !classify_keyed (&o, req->host, req->model_id, r))
    {
      g_autofree char *lat = format_latency (r->latency_us);

      o.latency_us = r->latency_us;

      if (req->level == LEVEL_FREE)
        {
          o.kind = OUTCOME_OK;
          o.detail = g_strdup_printf (_("model answered (%s)"), lat);
        }
      else
        {
          gint64 in = -1, out = -1;
          gboolean good = parse_generation (r->body, &in, &out);
          double cost;
          g_autoptr(GError) db_error = NULL;
          MwHistory *history = prober_history (self, NULL);

          /* without a usage report, assume the prompt and the whole budget */
          cost = (in >= 0 ? in : 20) * PRICE_INPUT_PER_TOKEN + (out >= 0 ? out : 64) * PRICE_OUTPUT_PER_TOKEN;
          if (history != NULL &&
              !mw_history_add_probe_usage (history, req->global_id, req->day,
                                           (guint64) MAX (in, 0), (guint64) MAX (out, 0), cost, &db_error))
            g_warning ("%s", db_error->message);
          req->spend.input_tokens += (guint64) MAX (in, 0);
          req->spend.output_tokens += (guint64) MAX (out, 0);
          req->spend.cost_usd += cost;

          if (good)
            {
              o.kind = OUTCOME_OK;
              if (out > 0 && r->latency_us > 0)
                o.detail = g_strdup_printf (_("generated %d tokens in %s (%.0f tokens/s)"),
                                            (int) out, lat,
                                            (double) out * G_TIME_SPAN_SECOND / (double) r->latency_us);
              else
                o.detail = g_strdup_printf (_("generated an answer in %s"), lat);
            }
          else
            {
              o.kind = OUTCOME_UNKNOWN;
              o.detail = g_strdup (_("unexpected response"));
              o.error = g_strdup_printf (_("%s answered the generation probe of %s with an unexpected response"),
                                         req->host, req->model_id);
            }
        }
    }

  if (o.kind != OUTCOME_CANCELLED)
    {
      t = run_model_track (run, req->global_id);
      /* a generation's time depends on its answer: no latency baseline */
      track_apply (t, &o, self->damping, req->level == LEVEL_FREE);

      /* a model with generation probes always shows what they cost today */
      if (req->show_spend && t->state != NULL && t->state->detail != NULL)
        {
          g_autofree char *s = format_spend (self, &req->spend);
          char *detail = g_strdup_printf ("%s · %s", t->state->detail, s);

          g_free (t->state->detail);
          t->state->detail = detail;
        }
      run_publish_model (run, req->global_id, t);
    }

  g_debug ("probe %s level %d: %s", req->global_id, req->level,
           o.kind == OUTCOME_CANCELLED ? "cancelled" : o.label != NULL ? o.label : o.detail);

  outcome_clear (&o);
  run_release (run);
  request_free (req);
}

static void
model_set_unknown (ProviderRun   *run,
                   const MwModel *model,
                   const char    *error,
                   const char    *detail)
{
  Outcome o = { OUTCOME_UNKNOWN, -1, NULL, g_strdup (error), g_strdup (detail) };
  Track *t = run_model_track (run, model->global_id);

  track_apply (t, &o, run->prober->damping, FALSE);
  run_publish_model (run, model->global_id, t);
  outcome_clear (&o);
}

static void
send_model_probe (ProviderRun      *run,
                  const MwProvider *provider,
                  const MwModel    *model)
{
  MwProber *self = run->prober;
  Level level = LEVEL_FREE;
  MwRequestTemplate builtin = { NULL, NULL, NULL };
  const MwRequestTemplate *tmpl;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  MwProbeSpend spend = { 0 };
  gboolean budgeted = FALSE;
  Request *req;

  if (model->model_probe == MW_MODEL_PROBE_GENERATE)
    {
      MwHistory *history = prober_history (self, &error);

      day = mw_history_day (NULL);
      budgeted = history != NULL;
      if (history == NULL)
        {
          if (error != NULL)
            g_warning ("%s; generation probes are off", error->message);
          g_clear_error (&error);
        }
      else if (mw_history_reserve_probe_call (history, model->global_id, day, self->daily_budget,
                                              g_get_real_time () / G_TIME_SPAN_SECOND,
                                              prober_spacing (self), &spend, &error))
        level = LEVEL_GENERATE;
      else if (error != NULL)
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
        }
      /* else: budget spent or too soon; a free call fills the gap */
    }

  tmpl = level == LEVEL_FREE ? provider->api->free_probe : provider->api->generate_probe;
  if (tmpl == NULL)
    {
      builtin_template (provider, level, &builtin);
      tmpl = &builtin;
    }

  msg = build_message (self, provider, tmpl, model->api_id != NULL ? model->api_id : model->id,
                       run->key, &error);

  g_free (builtin.method);
  g_free (builtin.path);
  g_free (builtin.body);

  if (msg == NULL)
    {
      /* refused destination: say so on the model, once in the log */
      model_set_unknown (run, model, error->message, error->message);
      return;
    }

  req = request_new (run, provider, level);
  req->global_id = g_strdup (model->global_id);
  req->model_id = g_strdup (model->id);
  req->day = g_steal_pointer (&day);
  req->spend = spend;
  req->show_spend = budgeted;

  mw_fetcher_send_async (self->fetcher, msg, run->cancellable, model_probe_cb, req);
}

/* Whether we know how to send a key to this API: it says so (api.auth),
 * or it is one of the providers the built-in templates are written for. */
static gboolean
auth_known (const MwProvider *provider)
{
  return provider->api->auth != NULL ||
         g_str_equal (provider->id, "anthropic") || g_str_equal (provider->id, "openai") ||
         g_str_equal (provider->id, "google") || g_str_equal (provider->id, "gemini");
}

static void
send_model_probes (ProviderRun      *run,
                   const MwProvider *provider)
{
  for (guint i = 0; i < provider->models->len; i++)
    {
      const MwModel *model = g_ptr_array_index (provider->models, i);

      if (model->model_probe == MW_MODEL_PROBE_OFF)
        continue;

      if (!auth_known (provider))
        {
          g_autofree char *why = g_strdup_printf (_("%s has no per-model probe: its catalog entry names no api.auth"),
                                                  provider->id);

          model_set_unknown (run, model, why, _("no per-model probe for this API"));
          continue;
        }

      if (run->key == NULL)
        {
          model_set_unknown (run, model, run->key_error, _("no API key"));
          continue;
        }

      send_model_probe (run, provider, model);
    }
}

static void
key_lookup_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *req = user_data;
  ProviderRun *run = req->run;
  g_autoptr(GError) error = NULL;
  char *key;
  const MwProvider *provider = run_provider (run);

  key = mw_secret_lookup_finish (result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mw_secret_free (key);
      run_release (run);
      request_free (req);
      return;
    }

  run_forget_key (run);
  run->key_at_us = g_get_monotonic_time ();
  if (key != NULL && !mw_secret_is_plausible (key))
    {
      mw_secret_free (key);
      key = NULL;
      run->key_error = g_strdup_printf (_("The API key for %s is not usable (it holds spaces or is too short)"),
                                        run->provider_id);
    }
  else if (key == NULL)
    run->key_error = g_strdup (error->message);
  run->key = key;

  send_model_probes (run, provider);

  run_release (run);
  request_free (req);
}

/* ------------------------------------------------------------------ */
/* Rounds                                                              */

static void
run_round (ProviderRun *run)
{
  const MwProvider *provider = run_provider (run);

  if (run->in_flight)
    return;

  run->in_flight = TRUE;
  run->pending = 1;   /* held until everything below is sent */
  g_clear_handle_id (&run->timer_id, g_source_remove);
  run->cancellable = g_cancellable_new ();

  if (provider == NULL || provider->api == NULL)
    {
      run_release (run);
      return;
    }

  if (!run_network_ok (run, provider))
    {
      run_set_offline (run, provider);
      run_release (run);
      return;
    }

  if (provider_has_api_probe (provider))
    send_api_probe (run, provider);

  if (provider_has_model_probes (provider))
    {
      if (run->key_at_us > 0 && g_get_monotonic_time () - run->key_at_us < KEY_CACHE_US)
        send_model_probes (run, provider);
      else
        mw_secret_lookup_async (provider, run->cancellable, key_lookup_cb,
                                request_new (run, provider, LEVEL_FREE));
    }

  run_release (run);
}

static gboolean
run_timeout_cb (gpointer user_data)
{
  ProviderRun *run = user_data;

  run->timer_id = 0;
  run_round (run);
  return G_SOURCE_REMOVE;
}

static void
schedule_run (ProviderRun *run,
              gint64       delay_us)
{
  g_clear_handle_id (&run->timer_id, g_source_remove);
  run->timer_id = g_timeout_add ((guint) MIN (delay_us / 1000, G_MAXUINT), run_timeout_cb, run);
}

/* ------------------------------------------------------------------ */
/* Network                                                             */

static gboolean
prober_online (MwProber *self)
{
  if (self->network_override >= 0)
    return self->network_override != 0;
  return self->network_available;
}

static void
network_changed (MwProber *self,
                 gboolean  was_online)
{
  GHashTableIter iter;
  gpointer value;
  gboolean online = prober_online (self);

  if (online == was_online)
    return;

  g_debug ("network %s: probes %s", online ? "back" : "gone", online ? "resume" : "pause");

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderRun *run = value;
      const MwProvider *provider = run_provider (run);

      if (provider == NULL || provider->api == NULL)
        continue;

      if (!online)
        {
          if (run->cancellable != NULL)
            g_cancellable_cancel (run->cancellable);
          if (!run_network_ok (run, provider))
            {
              run_set_offline (run, provider);
              g_signal_emit (self, signals[CHANGED], 0, run->provider_id);
            }
        }
      else if (self->running)
        {
          /* probe at once, spread over a second so a resume is not a burst */
          schedule_run (run, g_random_int_range (0, 1000) * G_TIME_SPAN_MILLISECOND);
        }
    }
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  MwProber *self = user_data;
  gboolean was_online = prober_online (self);

  self->network_available = available;
  network_changed (self, was_online);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
mw_prober_dispose (GObject *object)
{
  MwProber *self = MW_PROBER (object);

  self->running = FALSE;
  g_clear_signal_handler (&self->network_handler, self->monitor);
  if (self->runs != NULL)
    g_hash_table_remove_all (self->runs);

  G_OBJECT_CLASS (mw_prober_parent_class)->dispose (object);
}

static void
mw_prober_finalize (GObject *object)
{
  MwProber *self = MW_PROBER (object);

  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->catalog, mw_catalog_unref);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_pointer (&self->history_path, g_free);

  G_OBJECT_CLASS (mw_prober_parent_class)->finalize (object);
}

static void
mw_prober_class_init (MwProberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mw_prober_dispose;
  object_class->finalize = mw_prober_finalize;

  /**
   * MwProber::changed:
   * @self: the prober
   * @provider_id: the provider whose probe states were updated
   *
   * Emitted after every round of a provider's probes, and when probes
   * pause because the machine went offline.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mw_prober_init (MwProber *self)
{
  self->interval = MW_PROBE_DEFAULT_INTERVAL;
  self->damping = TRUE;
  self->network_override = -1;
  self->network_available = TRUE;
  self->daily_budget = MW_PROBE_DEFAULT_DAILY_BUDGET;
  self->generate_spacing = -1;
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, run_free);
}

/**
 * mw_prober_new:
 * @catalog: the catalog whose providers are probed
 * @fetcher: the process's fetcher
 *
 * Returns: (transfer full): a prober; it sends nothing until
 * mw_prober_start() or mw_prober_check_async()
 */
MwProber *
mw_prober_new (MwCatalog *catalog,
               MwFetcher *fetcher)
{
  MwProber *self;

  g_return_val_if_fail (catalog != NULL, NULL);
  g_return_val_if_fail (MW_IS_FETCHER (fetcher), NULL);

  self = g_object_new (MW_TYPE_PROBER, NULL);
  self->catalog = mw_catalog_ref (catalog);
  self->fetcher = g_object_ref (fetcher);

  for (guint i = 0; i < mw_catalog_get_n_providers (catalog); i++)
    {
      const MwProvider *provider = mw_catalog_get_provider (catalog, i);
      ProviderRun *run;

      if (provider->api == NULL || provider->api->base_url == NULL)
        continue;
      if (!provider_has_api_probe (provider) && !provider_has_model_probes (provider))
        continue;

      run = g_new0 (ProviderRun, 1);
      run->prober = self;
      run->provider_id = g_strdup (provider->id);
      run->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, track_free);
      run->model_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      run->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->runs, run->provider_id, run);
    }

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);

  return self;
}

void
mw_prober_set_interval (MwProber *self,
                        guint     seconds)
{
  g_return_if_fail (MW_IS_PROBER (self));

  self->interval = MAX (seconds, 1);
}

guint
mw_prober_get_interval (MwProber *self)
{
  g_return_val_if_fail (MW_IS_PROBER (self), 0);

  return self->interval;
}

void
mw_prober_set_damping (MwProber *self,
                       gboolean  damping)
{
  g_return_if_fail (MW_IS_PROBER (self));

  self->damping = !!damping;
}

void
mw_prober_set_network_available (MwProber *self,
                                 gboolean  available)
{
  gboolean was_online;

  g_return_if_fail (MW_IS_PROBER (self));

  was_online = prober_online (self);
  self->network_override = available ? 1 : 0;
  network_changed (self, was_online);
}

void
mw_prober_set_daily_budget (MwProber *self,
                            guint     calls)
{
  g_return_if_fail (MW_IS_PROBER (self));

  self->daily_budget = calls;
}

void
mw_prober_set_generate_spacing (MwProber *self,
                                guint     seconds)
{
  g_return_if_fail (MW_IS_PROBER (self));

  self->generate_spacing = (int) MIN (seconds, G_MAXINT);
}

void
mw_prober_set_history_path (MwProber   *self,
                            const char *path)
{
  g_return_if_fail (MW_IS_PROBER (self));

  g_free (self->history_path);
  self->history_path = g_strdup (path);
  g_clear_object (&self->history);
  self->history_failed = FALSE;
}

/**
 * mw_prober_start:
 * @self: the prober
 *
 * Probes every provider now-ish (spread over the first few seconds) and
 * then every interval, ± 10 %.
 */
void
mw_prober_start (MwProber *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (MW_IS_PROBER (self));

  if (self->running)
    return;
  self->running = TRUE;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderRun *run = value;

      if (!run->in_flight)
        schedule_run (run, g_random_int_range (0, 3000) * G_TIME_SPAN_MILLISECOND);
    }
}

void
mw_prober_stop (MwProber *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (MW_IS_PROBER (self));

  self->running = FALSE;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderRun *run = value;

      g_clear_handle_id (&run->timer_id, g_source_remove);
      if (run->cancellable != NULL)
        g_cancellable_cancel (run->cancellable);
    }
}

/**
 * mw_prober_check_async:
 * @self: the prober
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every provider's round is over
 * @user_data: data for @callback
 *
 * Probes every provider now; a provider whose round is already running
 * is waited for rather than probed twice. "changed" is emitted per
 * provider as its round ends.
 */
void
mw_prober_check_async (MwProber            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint *remaining;
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) to_start = g_ptr_array_new ();

  g_return_if_fail (MW_IS_PROBER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_prober_check_async);

  remaining = g_new0 (guint, 1);
  *remaining = g_hash_table_size (self->runs);
  g_task_set_task_data (task, remaining, g_free);

  if (*remaining == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ProviderRun *run = value;

      g_ptr_array_add (run->waiters, g_object_ref (task));
      g_ptr_array_add (to_start, run);
    }

  /* started after every waiter is registered: a round may end at once */
  for (guint i = 0; i < to_start->len; i++)
    run_round (g_ptr_array_index (to_start, i));
}

gboolean
mw_prober_check_finish (MwProber      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const MwProbeState *
mw_prober_get_provider_state (MwProber   *self,
                              const char *provider_id)
{
  ProviderRun *run;

  g_return_val_if_fail (MW_IS_PROBER (self), NULL);

  run = g_hash_table_lookup (self->runs, provider_id);
  if (run == NULL || run->api == NULL)
    return NULL;

  return run->api->state;
}

GHashTable *
mw_prober_get_model_states (MwProber   *self,
                            const char *provider_id)
{
  ProviderRun *run;

  g_return_val_if_fail (MW_IS_PROBER (self), NULL);

  run = g_hash_table_lookup (self->runs, provider_id);
  if (run == NULL || g_hash_table_size (run->model_states) == 0)
    return NULL;

  return run->model_states;
}

/* ------------------------------------------------------------------ */
/* Listing the models a key can use                                    */

typedef struct {
  char *host;
} ListData;

static void
list_data_free (gpointer data)
{
  ListData *d = data;

  g_free (d->host);
  g_free (d);
}

static void
list_models_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwFetchResult) r = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonObject *root;
  JsonArray *list;
  gboolean gemini = FALSE;
  const char *data;
  gsize len;

  r = mw_fetcher_send_finish (MW_FETCHER (object), result, &error);
  if (r == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (r->status))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("%s answered HTTP %u to the list of models"), d->host, r->status);
      return;
    }

  data = r->body != NULL ? g_bytes_get_data (r->body, &len) : "";
  if (r->body == NULL)
    len = 0;
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s answered the list of models with something else than JSON"), d->host);
      return;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  list = mw_json_get_array (root, "data");
  if (list == NULL)
    {
      list = mw_json_get_array (root, "models");
      gemini = TRUE;
    }

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = mw_json_get_string (json_node_get_object (node), gemini ? "name" : "id");
      if (id == NULL)
        continue;
      if (g_str_has_prefix (id, "models/"))
        id += strlen ("models/");
      g_ptr_array_add (ids, g_strdup (id));
    }

  g_ptr_array_add (ids, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&ids), FALSE), (GDestroyNotify) g_strfreev);
}

static void
list_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MwProber *self = g_task_get_source_object (task);
  const MwProvider *provider = mw_catalog_find_provider (self->catalog, g_task_get_name (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  MwRequestTemplate tmpl = { (char *) "GET", NULL, NULL };
  g_autofree char *path = NULL;
  ListData *d;
  GCancellable *cancellable;
  char *key;

  key = mw_secret_lookup_finish (result, NULL, &error);
  if (key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (api_family (provider))
    {
    case FAMILY_ANTHROPIC:
      path = g_strdup ("/v1/models?limit=1000");
      break;
    case FAMILY_GEMINI:
      path = g_strdup ("/v1beta/models?pageSize=1000");
      break;
    case FAMILY_OPENAI:
    default:
      {
        g_autofree char *prefix = openai_prefix (provider->api);

        path = g_strdup_printf ("%s/models", prefix);
      }
      break;
    }
  tmpl.path = path;

  msg = build_message (self, provider, &tmpl, NULL, key, &error);
  mw_secret_free (key);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (ListData, 1);
  d->host = mw_url_host (provider->api->base_url);
  g_task_set_task_data (task, d, list_data_free);

  cancellable = g_task_get_cancellable (task);
  mw_fetcher_send_async (self->fetcher, msg, cancellable, list_models_cb, g_steal_pointer (&task));
}

/**
 * mw_prober_list_models_async:
 * @self: the prober
 * @provider_id: a provider of the catalog
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the list
 * @user_data: data for @callback
 *
 * Asks the provider, with the user's key, which models the account can
 * use (the first page of its models list, up to 1000).
 */
void
mw_prober_list_models_async (MwProber            *self,
                             const char          *provider_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const MwProvider *provider;

  g_return_if_fail (MW_IS_PROBER (self));
  g_return_if_fail (provider_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mw_prober_list_models_async);

  provider = mw_catalog_find_provider (self->catalog, provider_id);
  if (provider == NULL || provider->api == NULL || provider->api->base_url == NULL)
    {
      g_task_return_new_error (task, MW_CATALOG_ERROR, MW_CATALOG_ERROR_NOT_FOUND,
                               _("The catalog has no API for the provider “%s”"), provider_id);
      return;
    }

  /* the name carries the id to the callback; the catalog outlives it */
  g_task_set_name (task, provider->id);
  mw_secret_lookup_async (provider, cancellable, list_key_cb, g_steal_pointer (&task));
}

/**
 * mw_prober_list_models_finish:
 *
 * Returns: (transfer full): the model ids, as the API spells them
 */
GStrv
mw_prober_list_models_finish (MwProber      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
