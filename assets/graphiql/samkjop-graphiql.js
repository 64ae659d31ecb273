// Starts GraphiQL against this server's /graphql. A file of its own rather than an inline
// script, so the page's Content-Security-Policy can allow scripts from this origin only.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      // Keep the token in the headers pane between visits, as users paste it once a day.
      shouldPersistHeaders: true,
      // Introspection needs no token; a placeholder token would be refused, so none is set.
      defaultHeaders: '{}',
      defaultQuery:
        '# samkjop. Paste a token into Headers below as\n' +
        '#   { "Authorization": "Bearer <token>" }\n' +
        '# (`samkjop serve --demo` prints one per role), then run:\n' +
        '{ viewer { subject name roles agency } }\n',
      defaultEditorToolsVisibility: 'headers',
    })
  );
})();
