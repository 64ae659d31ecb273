// The HMSREG import page: a dry run first, then the import, against the same GraphQL API as
// every other client. No framework, no outside files.
(function () {
  'use strict';
  var TOKEN_KEY = 'samkjop:token';
  var page = document.getElementById('page');
  var maxBytes = Number(page.dataset.maxBytes);
  var $ = function (id) { return document.getElementById(id); };
  var token = $('token'), remember = $('remember'), file = $('file');
  var dryRun = $('dry-run'), confirm = $('confirm'), message = $('message');

  var saved = window.localStorage.getItem(TOKEN_KEY);
  if (saved) { token.value = saved; remember.checked = true; }

  var RESULT = 'status issues { severity code message sheet row column } ' +
    'total { relevantHours skilledHours apprenticeHours unskilledHours skilledShare apprenticeShare apprenticeCount } ' +
    'import { id fileName }';
  var IMPORT = 'mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) { ' + RESULT + ' } }';
  var LIST = '{ hmsregImports(first: 20) { totalCount nodes { id fileName importedAt importedBy rowCount periodFrom periodTo total { relevantHours skilledShare apprenticeShare } } } }';

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  function keepToken() {
    if (remember.checked) window.localStorage.setItem(TOKEN_KEY, token.value.trim());
    else window.localStorage.removeItem(TOKEN_KEY);
  }

  function headers() {
    return { 'Authorization': 'Bearer ' + token.value.trim(), 'Accept': 'application/json' };
  }

  // Server errors in words: the API's own message, never a stack trace.
  function explain(body, status) {
    var first = body && body.errors && body.errors[0];
    var code = first && first.extensions && first.extensions.code;
    if (code === 'UNAUTHENTICATED') return 'Tokenet mangler, er utløpt eller er ugyldig: lim inn et nytt.';
    if (code === 'FORBIDDEN') return 'Rollen din kan ikke importere timer (bare ADMIN og ADVISER kan).';
    if (status === 413) return 'Filen er større enn serveren tar imot.';
    if (first && first.message) return 'Serveren svarte: ' + first.message;
    return 'Serveren svarte ikke som ventet (HTTP ' + status + ').';
  }

  function post(body, isForm) {
    var init = { method: 'POST', headers: headers(), body: body };
    if (!isForm) init.headers['Content-Type'] = 'application/json';
    return fetch('/graphql', init).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (json) {
        if (!r.ok || !json || json.errors) throw new Error(explain(json, r.status));
        return json.data;
      });
    });
  }

  function upload(dry) {
    var f = file.files[0];
    var form = new FormData();
    form.append('operations', JSON.stringify({ query: IMPORT, variables: { file: null, dry: dry } }));
    form.append('map', JSON.stringify({ '0': ['variables.file'] }));
    form.append('0', f, f.name);
    return post(form, true).then(function (d) { return d.importHmsreg; });
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '–' : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function pct(v) { return v === null || v === undefined ? '–' : v.toFixed(1).replace('.', ',') + ' %'; }
  function hours(v) { return v === null || v === undefined ? '–' : String(v).replace('.', ','); }

  function show(result, dry) {
    $('result').hidden = false;
    var status = $('status');
    status.textContent = result.status === 'ACCEPTED'
      ? (dry ? 'Godkjent i prøvekjøringen: ingenting er lagret ennå.' : 'Importert.')
      : 'Avvist: ingenting er lagret.';
    status.className = 'status ' + result.status;
    var rows = $('issues');
    rows.textContent = '';
    result.issues.forEach(function (i) {
      var tr = document.createElement('tr');
      tr.className = i.severity;
      cell(tr, i.severity === 'ERROR' ? 'Feil' : 'Advarsel');
      cell(tr, i.code); cell(tr, i.sheet); cell(tr, i.row, 'num'); cell(tr, i.column); cell(tr, i.message);
      rows.appendChild(tr);
    });
    $('no-issues').hidden = result.issues.length > 0;
    $('issues-table').hidden = result.issues.length === 0;
    var replaced = result.issues.filter(function (i) { return i.code === 'REPLACED'; });
    var dropped = result.issues.filter(function (i) { return i.code === 'SUPPLIER_DROPPED'; });
    $('replaced').textContent = replaced.length
      ? replaced.map(function (i) { return i.message; }).join(' · ')
      : 'Ingen: filen erstatter ingen tidligere importerte timer.';
    $('dropped').textContent = dropped.length
      ? dropped.map(function (i) { return i.message; }).join(' · ')
      : 'Ingen.';
    var t = result.total;
    $('shares').hidden = !t;
    if (t) {
      $('relevant').textContent = hours(t.relevantHours);
      $('skilled-share').textContent = pct(t.skilledShare);
      $('apprentice-share').textContent = pct(t.apprenticeShare);
      $('apprentices').textContent = String(t.apprenticeCount);
    }
    confirm.disabled = !(dry && result.status === 'ACCEPTED');
  }

  function list() {
    return post(JSON.stringify({ query: LIST })).then(function (d) {
      var rows = $('imports');
      rows.textContent = '';
      d.hmsregImports.nodes.forEach(function (n) {
        var tr = document.createElement('tr');
        cell(tr, n.fileName); cell(tr, n.importedAt.slice(0, 16).replace('T', ' ')); cell(tr, n.importedBy);
        cell(tr, n.rowCount, 'num'); cell(tr, (n.periodFrom || '–') + ' – ' + (n.periodTo || '–'));
        cell(tr, hours(n.total.relevantHours), 'num'); cell(tr, pct(n.total.skilledShare), 'num'); cell(tr, pct(n.total.apprenticeShare), 'num');
        rows.appendChild(tr);
      });
      $('imports-count').textContent = d.hmsregImports.totalCount + ' importer i alt';
    });
  }

  function ready() {
    var f = file.files[0];
    if (!token.value.trim()) { say('Lim inn et token først.', true); return false; }
    if (!f) { say('Velg en fil.', true); return false; }
    // Refused here, before a byte is sent: the server would refuse it anyway.
    if (f.size > maxBytes) {
      say('Filen er ' + (f.size / 1048576).toFixed(1) + ' MiB; serveren tar imot høyst ' + (maxBytes / 1048576).toFixed(0) + ' MiB.', true);
      return false;
    }
    return true;
  }

  function run(dry) {
    if (!ready()) return;
    keepToken();
    dryRun.disabled = confirm.disabled = true;
    say(dry ? 'Prøvekjører …' : 'Importerer …', false);
    upload(dry).then(function (r) {
      show(r, dry);
      say(dry ? 'Prøvekjøringen er ferdig. Se gjennom og bekreft.' : (r.status === 'ACCEPTED' ? 'Timene er lagret.' : 'Filen ble avvist.'), false);
      return list();
    }).catch(function (e) {
      say(e.message, true);
    }).then(function () { dryRun.disabled = false; });
  }

  dryRun.addEventListener('click', function () { run(true); });
  confirm.addEventListener('click', function () { run(false); });
  file.addEventListener('change', function () { confirm.disabled = true; $('result').hidden = true; ready() && say('', false); });
  $('refresh').addEventListener('click', function () { keepToken(); list().catch(function (e) { say(e.message, true); }); });
  if (token.value.trim()) list().catch(function () {});
})();
