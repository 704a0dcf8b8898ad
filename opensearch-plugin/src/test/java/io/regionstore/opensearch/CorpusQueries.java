package io.regionstore.opensearch;

import java.util.ArrayList;
import java.util.List;
import org.opensearch.action.search.SearchRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.transport.client.Client;

/**
 * A fixed set of queries over the {@link Europarl} corpus and their results as plain text (exact
 * total hit count, then the top hits as {@code id:score}, ties broken by id), so that two indices
 * holding the same documents can be compared with one {@code assertEquals}.
 */
final class CorpusQueries {
  private static final int TOP = 20;

  private static final List<QueryBuilder> QUERIES =
      List.of(
          QueryBuilders.matchAllQuery(),
          QueryBuilders.matchQuery("body", "european parliament"),
          QueryBuilders.matchQuery("body", "commission"),
          QueryBuilders.matchQuery("body", "kommission"),
          QueryBuilders.matchPhraseQuery("body", "human rights"),
          QueryBuilders.multiMatchQuery("agriculture fisheries", "title", "body"),
          QueryBuilders.queryStringQuery("budget AND (council OR rat)").defaultField("body"),
          QueryBuilders.boolQuery()
              .must(QueryBuilders.matchQuery("body", "president"))
              .filter(QueryBuilders.prefixQuery("id", "17")));

  private CorpusQueries() {}

  /**
   * The results of every query on {@code index}; {@code preference} (such as {@code _only_local})
   * selects the shard copies, or null for any.
   */
  static List<String> results(Client client, String index, String preference) {
    List<String> out = new ArrayList<>();
    for (QueryBuilder query : QUERIES) {
      SearchRequestBuilder search =
          client
              .prepareSearch(index)
              .setQuery(query)
              .setSize(TOP)
              .setTrackTotalHits(true)
              .addSort("_score", SortOrder.DESC)
              .addSort("id", SortOrder.ASC);
      if (preference != null) {
        search.setPreference(preference);
      }
      SearchResponse response = search.get();
      if (response.getFailedShards() != 0 || response.getTotalShards() == 0) {
        throw new AssertionError(
            "search of " + index + " on " + response.getTotalShards() + " shards, "
                + response.getFailedShards() + " failed: " + List.of(response.getShardFailures()));
      }
      StringBuilder line = new StringBuilder(query.getName()).append(" total=");
      line.append(response.getHits().getTotalHits().value());
      for (SearchHit hit : response.getHits().getHits()) {
        line.append(' ').append(hit.getId()).append(':').append(hit.getScore());
      }
      out.add(line.toString());
    }
    return out;
  }
}
