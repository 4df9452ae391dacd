import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendQuery, shapeRequest } from '../../src/domain/request-shape.js';

const payload = { call_id: 'abc 1', hook_event: 'channel_create', custom_channel_vars: { 'Bridge-ID': 'x@y' }, n: 1 };
const query = 'call_id=abc+1&hook_event=channel_create&custom_channel_vars[Bridge-ID]=x%40y&n=1';

describe('shapeRequest', () => {
  it('GET sends the payload as a query string and no body, whatever the format', () => {
    for (const format of ['form-data', 'json'] as const) {
      assert.deepEqual(shapeRequest({ uri: 'https://hooks.example.com/in', http_verb: 'get', format }, { payload }), {
        method: 'GET',
        url: `https://hooks.example.com/in?${query}`,
      });
    }
  });

  it('GET joins an existing query with & (Kazoo would add a second ?)', () => {
    const shaped = shapeRequest({ uri: 'https://hooks.example.com/in?token=s3cret', http_verb: 'get', format: 'form-data' }, { payload });
    assert.equal(shaped.url, `https://hooks.example.com/in?token=s3cret&${query}`);
  });

  it('POST and PUT with form-data send a URL-encoded body', () => {
    for (const verb of ['post', 'put'] as const) {
      assert.deepEqual(shapeRequest({ uri: 'https://hooks.example.com/in', http_verb: verb, format: 'form-data' }, { payload }), {
        method: verb.toUpperCase(),
        url: 'https://hooks.example.com/in',
        contentType: 'application/x-www-form-urlencoded',
        body: query,
      });
    }
  });

  it('POST and PUT with json send compact JSON in payload key order', () => {
    const shaped = shapeRequest({ uri: 'https://hooks.example.com/in?a=1', http_verb: 'put', format: 'json' }, { payload });
    assert.equal(shaped.method, 'PUT');
    assert.equal(shaped.url, 'https://hooks.example.com/in?a=1');
    assert.equal(shaped.contentType, 'application/json');
    assert.equal(shaped.body, '{"call_id":"abc 1","hook_event":"channel_create","custom_channel_vars":{"Bridge-ID":"x@y"},"n":1}');
  });
});

describe('appendQuery', () => {
  it('picks the separator from the URI and keeps a fragment at the end', () => {
    assert.equal(appendQuery('http://h/p', 'a=1'), 'http://h/p?a=1');
    assert.equal(appendQuery('http://h/p?', 'a=1'), 'http://h/p?a=1');
    assert.equal(appendQuery('http://h/p?x=1&', 'a=1'), 'http://h/p?x=1&a=1');
    assert.equal(appendQuery('http://h/p?x=1', 'a=1'), 'http://h/p?x=1&a=1');
    assert.equal(appendQuery('http://h/p#top', 'a=1'), 'http://h/p?a=1#top');
    assert.equal(appendQuery('http://h/p?x=1#top?no', 'a=1'), 'http://h/p?x=1&a=1#top?no');
  });

  it('leaves the URI alone when there is nothing to add', () => {
    assert.equal(appendQuery('http://h/p', ''), 'http://h/p');
  });
});
