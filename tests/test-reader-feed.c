/* test-reader-feed.c
 *
 * The RSS/Atom reader over real feeds (xAI, Statuspage and incident.io
 * history, Volcengine) and broken or derived variants.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "mw-test-server.h"

static MwObservations *
parse (const char  *fixture,
       const char * const *components,
       GError     **error)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml",
                                                  NULL, components);

  return mw_test_parse_fixtures ("feed", p, (const char *[]) { fixture, NULL }, error);
}

static const MwIncidentObs *
incident (MwObservations *obs,
          guint           i)
{
  g_assert_cmpuint (i, <, obs->incidents->len);
  return g_ptr_array_index (obs->incidents, i);
}

static void
test_xai_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed.xml",
                                         (const char *[]) { "API (us-east-1.api.x.ai)", NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
  g_assert_cmpint (mw_observations_find_component (obs, "API (us-east-1.api.x.ai)")->health, ==,
                   MW_HEALTH_OPERATIONAL);
}

static void
test_xai_open_partial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-open-partial.xml",
                                         (const char *[]) { "API (us-east-1.api.x.ai)", "API Console", NULL },
                                         &error);
  const MwIncidentObs *i;

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = incident (obs, 0);
  g_assert_cmpstr (i->name, ==, "[API (us-east-1.api.x.ai)] Elevated error rates");
  g_assert_cmpstr (i->url, ==, "https://status.x.ai/api-console/INC702624e4");
  g_assert_cmpint (i->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_true (mw_incident_obs_has_component (i, "API (us-east-1.api.x.ai)"));
  g_assert_cmpint (mw_observations_find_component (obs, "API (us-east-1.api.x.ai)")->health, ==,
                   MW_HEALTH_PARTIAL_OUTAGE);
  g_assert_cmpint (mw_observations_find_component (obs, "API Console")->health, ==, MW_HEALTH_OPERATIONAL);
  g_assert_nonnull (i->started_at);
  g_assert_cmpint (g_date_time_get_year (i->started_at), ==, 2026);
}

static void
test_bom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-bom.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
}

static void
test_statuspage_atom_open_item (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-anthropic-history-truncated.atom.xml", NULL, &error);
  const MwIncidentObs *i;
  const MwUpdateObs *u;

  g_assert_no_error (error);
  /* Nine entries, one of them still open ("Monitoring"). */
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  i = incident (obs, 0);
  g_assert_cmpstr (i->name, ==, "Elevated errors on platform.claude.com");
  g_assert_cmpstr (i->status, ==, "monitoring");
  g_assert_cmpint (i->health, ==, MW_HEALTH_DEGRADED);
  g_assert_cmpstr (i->url, ==, "https://status.claude.com/incidents/978mjkgw6mh7");
  u = mw_incident_obs_latest_update (i);
  g_assert_nonnull (u);
  g_assert_true (g_str_has_prefix (u->body, "Oct"));
  g_assert_nonnull (strstr (u->body, "We've mitigated the errors"));
  /* the older "Identified" update is not the latest */
  g_assert_null (strstr (u->body, "We've identified the cause"));
}

static void
test_github_atom_update_label_is_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-github-history-ongoing.atom.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpstr (incident (obs, 0)->name, ==, "Degraded Gemini 2.5 Pro experience in Copilot");
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_DEGRADED);
}

static void
test_incidentio_atom_all_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("incidentio-openai-history-truncated.atom.xml",
                                         (const char *[]) { "Conversations", NULL }, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (mw_observations_find_component (obs, "Conversations")->health, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_empty_feed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("volcengine-modelark-cn-shanghai-empty.rss.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 0);
  g_assert_cmpint (obs->indicator, ==, MW_HEALTH_OPERATIONAL);
}

static void
test_maintenance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("azure-status-feed-maintenance.rss.xml", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_MAINTENANCE);
  g_assert_true (incident (obs, 0)->maintenance);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("xai-status-feed-truncated.xml", NULL, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.example.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_wrong_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse ("statuspage-anthropic-summary.json", NULL, &error);

  g_assert_null (obs);
  /* JSON is not XML: malformed, never an empty green feed. */
  g_assert_true (g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE) ||
                 g_error_matches (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT));
}

static void
test_other_xml (void)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml", NULL, NULL);
  const MwReader *reader = mw_reader_lookup ("feed");
  g_autoptr(GBytes) body = g_bytes_new_static ("<?xml version=\"1.0\"?><svg><g/></svg>", 37);
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = reader->parse (p, &body, 1, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "page format changed"));
}

static void
test_html_challenge (void)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml", NULL, NULL);
  const MwReader *reader = mw_reader_lookup ("feed");
  const char *html = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, strlen (html));
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = reader->parse (p, &body, 1, &error);

  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_CHALLENGE);
}

/* Edge cases of real feeds, inline: each is one RSS item around @item. */
static MwObservations *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(MwProvider) p = mw_test_provider_new ("feed", "https://status.example.com/feed.xml", NULL, NULL);
  const MwReader *reader = mw_reader_lookup ("feed");
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return reader->parse (p, &body, 1, error);
}

static MwObservations *
parse_item (const char  *item,
            GError     **error)
{
  g_autofree char *text = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                           "<rss version=\"2.0\"><channel><title>T</title>\n"
                                           "<item><guid>g1</guid>%s</item>\n"
                                           "</channel></rss>\n", item);

  return parse_text (text, error);
}

/* The body of the latest update of the one open item. */
static const char *
latest_body (MwObservations *obs)
{
  const MwUpdateObs *u;

  g_assert_nonnull (obs);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  u = mw_incident_obs_latest_update (incident (obs, 0));
  g_assert_nonnull (u);

  return u->body;
}

static void
assert_one_line_parse_error (MwObservations *obs,
                             GError         *error)
{
  g_assert_null (obs);
  g_assert_error (error, MW_SOURCE_ERROR, MW_SOURCE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "status.example.com"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_doctype (void)
{
  g_autoptr(GError) error = NULL;
  /* RSS 0.91 names a DTD on the network: it is never fetched. */
  g_autoptr(MwObservations) obs = parse_text (
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\"\n"
    "  \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">\n"
    "<rss version=\"0.91\"><channel><item><title>Partial outage of the API</title>"
    "<guid>g1</guid></item></channel></rss>", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpstr (incident (obs, 0)->name, ==, "Partial outage of the API");
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_PARTIAL_OUTAGE);
}

static void
test_doctype_entities_unused (void)
{
  g_autoptr(GError) error = NULL;
  /* An internal subset is skipped; its entities are never defined. */
  g_autoptr(MwObservations) obs = parse_text (
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE rss [\n  <!ENTITY a \"aaaaaaaaaa\">\n  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
    "<rss><channel><item><title>Outage &b;</title><guid>g1</guid></item></channel></rss>", &error);

  assert_one_line_parse_error (obs, error);
  g_assert_nonnull (strstr (error->message, "line 6"));
}

static void
test_cdata (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_item (
    "<title><![CDATA[Degraded <b>API</b> & console]]></title>"
    "<description><![CDATA[<h3>Status: Identified</h3><p>We found the cause &amp; a fix.</p>]]></description>",
    &error);

  g_assert_no_error (error);
  /* The title is text, not markup. */
  g_assert_cmpstr (incident (obs, 0)->name, ==, "Degraded <b>API</b> & console");
  g_assert_cmpstr (incident (obs, 0)->status, ==, "identified");
  g_assert_cmpstr (latest_body (obs), ==, "We found the cause & a fix.");
}

static void
test_prefixed_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_text (
    "<?xml version=\"1.0\"?>\n"
    "<?xml-stylesheet type=\"text/xsl\" href=\"rss.xsl\"?>\n"
    "<!-- generated -->\n"
    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"\n"
    "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
    "<channel><atom:link href=\"https://status.example.com/feed.xml\" rel=\"self\"/>\n"
    "<item><title>Elevated errors</title><atom:link href=\"https://status.example.com/i/1\"/>\n"
    "<dc:creator>Ops</dc:creator><!-- a comment --><?pi ignored?>\n"
    "<content:encoded><![CDATA[<p>Major outage</p>]]></content:encoded>\n"
    "<description>&lt;p&gt;Investigating&lt;/p&gt;</description></item>\n"
    "</channel></rss>", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  /* atom:link is the link; content:encoded is not the description. */
  g_assert_cmpstr (incident (obs, 0)->url, ==, "https://status.example.com/i/1");
  g_assert_cmpstr (latest_body (obs), ==, "Investigating");
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_DEGRADED);
}

static void
test_html_entities (void)
{
  g_autoptr(GError) error = NULL;
  /* Escaped once for XML: the HTML inside says "&nbsp;", "&#8217;", … */
  g_autoptr(MwObservations) obs = parse_item (
    "<title>Slow responses</title>"
    "<description>&lt;p&gt;We&amp;#8217;re&amp;nbsp;on it &amp;amp; &amp;lt;soon&amp;gt; &amp;quot;x&amp;quot; "
    "&amp;#39;y&amp;#39; &amp;apos;z&amp;apos; &amp;#x2014; &amp;hellip; &amp;unknown; AT&amp;amp;T&lt;/p&gt;"
    "</description>", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (latest_body (obs), ==,
                   "We\u2019re\u00a0on it & <soon> \"x\" 'y' 'z' \u2014 \u2026 &unknown; AT&T");
}

static void
test_nbsp_in_xml (void)
{
  g_autoptr(GError) error = NULL;
  /* "&nbsp;" is HTML, not XML: a feed that uses it bare is broken, and
   * broken is never green. */
  g_autoptr(MwObservations) obs = parse_item ("<title>Outage&nbsp;now</title>", &error);

  assert_one_line_parse_error (obs, error);
}

static void
test_unclosed_html (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_item (
    "<title>Login problems</title>"
    "<description>&lt;strong&gt;Investigating&lt;p&gt;Users cannot log in &lt;b&gt;since 10:00&lt;/b&gt;"
    "&lt;ul&gt;&lt;li&gt;Login (Major outage)&lt;li&gt;Billing&lt;/ul&gt;"
    "&lt;!-- &lt;p&gt;hidden&lt;/p&gt; --&gt;"
    "</description>", &error);
  const MwIncidentObs *i;

  g_assert_no_error (error);
  i = incident (obs, 0);
  /* An unclosed <strong> holds everything after it (a <p> closes <b>,
   * not <strong>). */
  g_assert_cmpstr (i->status, ==, "investigatingusers cannot log in since 10:00login (major outage)billing");
  /* The <p> ends where the list starts. */
  g_assert_cmpstr (latest_body (obs), ==, "Users cannot log in since 10:00");
  g_assert_true (mw_incident_obs_has_component (i, "Login"));
  g_assert_true (mw_incident_obs_has_component (i, "Billing"));
  g_assert_cmpint (i->health, ==, MW_HEALTH_MAJOR_OUTAGE);
}

static void
test_script_style (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_item (
    "<title>Slow</title>"
    "<description>&lt;p&gt;Fixed&lt;script&gt;if (a &amp;lt; b) x = '&lt;p&gt;';&lt;/script&gt;"
    "&lt;style&gt;p { color: red }&lt;/STYLE&gt; soon&lt;/p&gt;</description>", &error);

  g_assert_no_error (error);
  /* Code is not text a person reads. */
  g_assert_cmpstr (latest_body (obs), ==, "Fixed soon");
}

static void
test_plain_text_description (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_item (
    "<title>Increased latency</title><description>  We are looking into it. </description>", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (latest_body (obs), ==, "We are looking into it.");
  g_assert_null (incident (obs, 0)->status);
}

static void
test_deep_xml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) item = g_string_new ("<title>Outage</title>");
  g_autoptr(MwObservations) obs = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (item, "<x>");
  for (guint i = 0; i < 5000; i++)
    g_string_append (item, "</x>");

  obs = parse_item (item->str, &error);
  assert_one_line_parse_error (obs, error);
  g_assert_nonnull (strstr (error->message, "256"));
}

static void
test_deep_html (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) item = g_string_new ("<title>Outage</title><description>");
  g_autoptr(MwObservations) obs = NULL;

  /* Nesting in the HTML is cut short, never followed to the end. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (item, "&lt;div&gt;");
  g_string_append (item, "&lt;p&gt;deep&lt;/p&gt;</description>");

  obs = parse_item (item->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (obs->incidents->len, ==, 1);
  g_assert_cmpint (incident (obs, 0)->health, ==, MW_HEALTH_MAJOR_OUTAGE);
}

static void
test_declared_encoding (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MwObservations) obs = parse_text (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<rss><channel><item><title>St\xf6rung: API</title><guid>g1</guid></item></channel></rss>",
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (incident (obs, 0)->name, ==, "St\u00f6rung: API");
}

static void
test_not_well_formed (void)
{
  const char * const broken[] = {
    "<?xml version=\"1.0\"?><rss><channel></channel></rss><rss/>",
    "<?xml version=\"1.0\"?><rss><channel></channel></rss>trailing",
    "<?xml version=\"1.0\"?><rss><channel><item><title a=\"1\" a=\"2\">x</title></item></channel></rss>",
    "<?xml version=\"1.0\"?><feed><entry><link href=\"a<b\"/></entry></feed>",
    "<?xml version=\"1.0\"?><rss><channel><item><title>a ]]> b</title></item></channel></rss>",
    "<?xml version=\"1.0\"?><rss><channel><item><title>\xff</title></item></channel></rss>",
    "<?xml version=\"x\"?><rss><channel></channel></rss>",
    "<rss><channel></channel></rss><?xml version=\"1.0\"?>",
    "<?xml version=\"1.x\"?><rss><channel></channel></rss>",
    "<?xml version=\"1.0\"?><?xm;l a?><rss><channel></channel></rss>",
    "<rss version=\"2.0\"x=\"1\"><channel></channel></rss>",
    "<rss><channel><item><title>A &# 41; B</title></item></channel></rss>",
    "<rss><channel><item><title>A &#2; B</title></item></channel></rss>",
    "<!DOCTYPE rss PUBLIC \"a{b}\" \"x.dtd\"><rss><channel></channel></rss>",
    "   \n  ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MwObservations) obs = parse_text (broken[i], &error);

      g_test_message ("broken document %u", i);
      g_assert_null (obs);
      g_assert_nonnull (error);
      g_assert_true (error->domain == MW_SOURCE_ERROR);
      g_assert_null (strchr (error->message, '\n'));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed/xai/resolved", test_xai_resolved);
  g_test_add_func ("/feed/xai/open-partial", test_xai_open_partial);
  g_test_add_func ("/feed/xai/bom", test_bom);
  g_test_add_func ("/feed/statuspage-atom/open-item", test_statuspage_atom_open_item);
  g_test_add_func ("/feed/statuspage-atom/update-label", test_github_atom_update_label_is_open);
  g_test_add_func ("/feed/incidentio-atom/resolved", test_incidentio_atom_all_resolved);
  g_test_add_func ("/feed/empty", test_empty_feed);
  g_test_add_func ("/feed/maintenance", test_maintenance);
  g_test_add_func ("/feed/broken/truncated", test_truncated);
  g_test_add_func ("/feed/broken/json", test_wrong_shape);
  g_test_add_func ("/feed/broken/other-xml", test_other_xml);
  g_test_add_func ("/feed/broken/html", test_html_challenge);
  g_test_add_func ("/feed/xml/doctype", test_doctype);
  g_test_add_func ("/feed/xml/doctype-entities", test_doctype_entities_unused);
  g_test_add_func ("/feed/xml/cdata", test_cdata);
  g_test_add_func ("/feed/xml/prefixed-names", test_prefixed_names);
  g_test_add_func ("/feed/xml/nbsp", test_nbsp_in_xml);
  g_test_add_func ("/feed/xml/deep", test_deep_xml);
  g_test_add_func ("/feed/xml/declared-encoding", test_declared_encoding);
  g_test_add_func ("/feed/xml/not-well-formed", test_not_well_formed);
  g_test_add_func ("/feed/html/entities", test_html_entities);
  g_test_add_func ("/feed/html/unclosed", test_unclosed_html);
  g_test_add_func ("/feed/html/script-style", test_script_style);
  g_test_add_func ("/feed/html/plain-text", test_plain_text_description);
  g_test_add_func ("/feed/html/deep", test_deep_html);

  return g_test_run ();
}
