<?php
/**
 * Golden test fixtures for the whmcs-api crate, produced by real PHP.
 *
 * Regenerate the fixture (from the repository root) with:
 *
 *     php scripts/php-goldens.php
 *
 * Writes whmcs-php/tests/data/php_goldens.json with these sections:
 *   build_query - http_build_query(json_decode(input, true)) with PHP defaults
 *                 (RFC1738 encoding, '&' separator, no numeric prefix)
 *   serialize   - serialize(json_decode(input, true)) and its base64
 *   parse_str   - what parse_str() makes of a query string, as JSON plus a
 *                 flat [path, value] list in PHP iteration order
 *   examples    - http_build_query() of the example request array of every
 *                 WHMCS API reference page, minus the auth/action keys
 *
 * Inputs are written as JSON text. The "input" recorded in the fixture is the
 * same JSON re-encoded from a non-assoc decode, so JSON objects stay objects
 * and key order is preserved exactly as written here.
 */

const JSON_FLAGS = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION;

/** Decode JSON test input strictly; abort on typos. */
function decode(string $json, bool $assoc)
{
    return json_decode($json, $assoc, 512, JSON_THROW_ON_ERROR);
}

/** JSON input as it should appear in the fixture (objects kept as objects). */
function input_value(string $json)
{
    return decode($json, false);
}

// ---------------------------------------------------------------------------
// 1. http_build_query
// ---------------------------------------------------------------------------
$buildQueryCases = [
    'plain_strings'         => '{"action":"GetClients","limitnum":"25"}',
    'space'                 => '{"q":"hello world"}',
    'plus'                  => '{"q":"a+b"}',
    'ampersand_equals'      => '{"q":"a&b=c"}',
    'percent'               => '{"q":"100%"}',
    'unreserved_marks'      => '{"q":"~*.-_"}',
    'reserved_marks'        => '{"q":"!#$\'()*,/:;?@"}',
    'unicode_e_acute'       => '{"name":"é"}',
    'unicode_idn_domain'    => '{"domain":"dómáin2.com"}',
    'unicode_emoji'         => '{"msg":"hi 🎉"}',
    'unicode_cjk'           => '{"msg":"日本語"}',
    'newline_crlf_tab'      => '{"msg":"line1\nline2\r\nend\t."}',
    'quotes'                => '{"msg":"say \"hi\" and \'bye\'"}',
    'brackets_in_value'     => '{"v":"a[0]=b{c}<d>"}',
    'ints'                  => '{"a":0,"b":42,"c":-7}',
    'float_1_5'             => '{"f":1.5}',
    'float_10_0'            => '{"f":10.0}',
    'float_0_1'             => '{"f":0.1}',
    'float_15_95'           => '{"f":15.95}',
    'float_1e20'            => '{"f":1e20}',
    'float_neg_zero'        => '{"f":-0.0}',
    'float_misc'            => '{"a":1e15,"b":1e-7,"c":123456789.125,"d":-2.5}',
    'bools'                 => '{"t":true,"f":false}',
    'null_omitted'          => '{"a":"1","n":null,"b":"2"}',
    'empty_string'          => '{"e":"","x":"1"}',
    'list_ints'             => '{"pid":[1,2,3]}',
    'list_strings'          => '{"domain":["a.com","b b.com"]}',
    'list_bools'            => '{"dnsmanagement":[false,true]}',
    'list_with_null'        => '{"a":[1,null,3]}',
    'empty_list_omitted'    => '{"a":"1","l":[],"b":"2"}',
    'empty_object_omitted'  => '{"a":"1","o":{},"b":"2"}',
    'only_empty'            => '{"l":[],"n":null}',
    'nested_list_objects'   => '{"attributes":[{"label":"L1","value":"v 1"},{"label":"L2","url":"https://x.test/?a=1&b=2"}]}',
    'keyed_object'          => '{"domainrenewals":{"example.com":2,"dómáin2.com":3}}',
    'numeric_string_keys'   => '{"customfields":{"1":"Google","7":"x"}}',
    'top_level_numeric_keys'=> '{"0":"a","1":"b","10":"c"}',
    'deep_nesting_3'        => '{"a":{"b":{"c":"d","e":[1,2]}},"z":"end"}',
    'key_with_space'        => '{"my key":"v"}',
    'key_with_brackets'     => '{"attributes[0][label]":"example"}',
    'key_unicode'           => '{"clé":"v","日本":"x"}',
    'nested_key_encoding'   => '{"o":{"a b":"1","c&d":"2","é":"3"}}',
];

$buildQuery = [];
foreach ($buildQueryCases as $name => $json) {
    $buildQuery[] = [
        'name'     => $name,
        'input'    => input_value($json),
        'expected' => http_build_query(decode($json, true)),
    ];
}

// ---------------------------------------------------------------------------
// 2. serialize (+ base64, as WHMCS customfields/configoptions expect)
// ---------------------------------------------------------------------------
$serializeCases = [
    'customfields_google'    => '{"1":"Google"}',
    'configoptions_999'      => '{"1":999}',
    'configoptions_nested'   => '{"5":12,"7":{"optionid":3,"qty":2}}',
    'string_keys'            => '{"name":"x","qty":"2"}',
    'key_leading_zero'       => '{"01":"a"}',
    'key_negative_int'       => '{"-5":"a"}',
    'key_float_like'         => '{"1.5":"a"}',
    'key_mixed_order'        => '{"b":1,"2":2,"a":3,"0":4}',
    'unicode_values'         => '{"1":"é","2":"dómáin2.com","3":"🎉","4":"日本語"}',
    'empty_array'            => '[]',
    'empty_object'           => '{}',
    'bools'                  => '{"t":true,"f":false}',
    'null_value'             => '{"n":null}',
    'floats'                 => '{"a":1.5,"b":0.1,"c":10.0,"d":1e100,"e":-0.0,"f":15.95}',
    'list_nested'            => '[[1,2],["a",["b"]],[]]',
    'tricky_strings'         => '{"s":"a\";b:{c}","t":"x;y:z\\\\","u":"\n"}',
    'top_level_string'       => '"hello"',
    'top_level_int'          => '42',
    'top_level_null'         => 'null',
];

$serialize = [];
foreach ($serializeCases as $name => $json) {
    $s = serialize(decode($json, true));
    $serialize[] = [
        'name'       => $name,
        'input'      => input_value($json),
        'serialized' => $s,
        'base64'     => base64_encode($s),
    ];
}

// ---------------------------------------------------------------------------
// 3. parse_str
// ---------------------------------------------------------------------------

/**
 * Flatten a parse_str() result into [path, value] pairs in PHP iteration
 * order, e.g. ['a' => ['x', 'y']] -> [["a[0]","x"], ["a[1]","y"]].
 * Every leaf parse_str() produces is a string.
 */
function flatten_pairs(array $arr, ?string $prefix = null): array
{
    $out = [];
    foreach ($arr as $k => $v) {
        $path = $prefix === null ? (string)$k : $prefix . '[' . $k . ']';
        if (is_array($v)) {
            array_push($out, ...flatten_pairs($v, $path));
        } else {
            $out[] = [$path, $v];
        }
    }
    return $out;
}

$parseStrCases = [
    'plain_pairs'            => 'a=1&b=2',
    'plus_is_space'          => 'q=hello+world',
    'percent_escapes'        => 'q=a%20b%2Bc%26d%3De%25',
    'percent_lowercase_hex'  => 'q=%c3%a9',
    'percent_invalid'        => 'q=100%&r=%zz&s=%4',
    'repeated_key_last_wins' => 'a=1&a=2',
    'append_list'            => 'a[]=1&a[]=2',
    'explicit_indices'       => 'a[0]=x&a[1]=y',
    'out_of_order_indices'   => 'a[1]=y&a[0]=x',
    'nested_named'           => 'a[x][y]=z',
    'append_after_index'     => 'a[]=1&a[5]=2&a[]=3',
    'mixed'                  => 'x=1&a[]=p&a[k]=q&a[]=r&y=2',
    'scalar_then_array'      => 'a=1&a[]=2',
    'array_then_scalar'      => 'a[]=1&a=2',
    'empty_value'            => 'a=&b=1',
    'key_without_equals'     => 'a&b=1',
    'dot_in_key'             => 'a.b=1',
    'space_in_key'           => 'a+b=1&c%20d=2',
    'dot_inside_brackets'    => 'a.b[c.d]=1&x[y z]=2',
    'unbalanced_open'        => 'a[b=1',
    'unbalanced_open_nested' => 'a[b][c=1',
    'stray_close'            => 'a]b=1',
    'text_after_bracket'     => 'a[b]c=1&d[e]f[g]=2',
    'leading_bracket'        => '[a]=1&[]=2',
    'numeric_keys'           => '5=x&-1=y&01=z&a[07]=w&a[-3]=v',
    'empty_brackets_nested'  => 'a[][]=1&a[][]=2',
    'utf8'                   => 'name=%C3%A9&domain=d%C3%B3m%C3%A1in2.com&%E6%97%A5=%F0%9F%8E%89',
    'utf8_raw'               => 'clé=é',
    'empty_key_ignored'      => '=x&a=1',
    'empty_segments'         => '&&a=1&&b=2&',
    'deeply_nested'          => 'a[b][c][d][e]=1&a[b][c][f]=2',
    'whmcs_attributes'       => 'attributes%5B0%5D%5Blabel%5D=example&attributes%5B0%5D%5Burl%5D=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2',
    'semicolon_not_separator'=> 'a=1;b=2',
];

$parseStr = [];
foreach ($parseStrCases as $name => $query) {
    parse_str($query, $out);
    $parseStr[] = [
        'name'           => $name,
        'query'          => $query,
        'expected'       => $out,
        'expected_pairs' => flatten_pairs($out),
    ];
}

// ---------------------------------------------------------------------------
// 4. WHMCS reference page examples: the array each page passes to
//    http_build_query in its CURL example, evaluated by PHP itself.
//    Fixes for known page defects (see shared/whmcs-docs/README.md):
//    a `'$name'` key is really `'name'`; UpdateClientProduct's placeholder
//    constants are replaced by concrete ids.
// ---------------------------------------------------------------------------

/** The source text of the array literal passed to http_build_query(). */
function example_array(string $page): ?string
{
    $curl = strpos($page, '### Example Request (CURL)');
    if ($curl === false) {
        return null;
    }
    $start = strpos($page, 'http_build_query(', $curl);
    if ($start === false) {
        return null;
    }
    $start = strpos($page, 'array(', $start);
    $depth = 0;
    $quote = null;
    for ($i = $start; $i < strlen($page); $i++) {
        $c = $page[$i];
        if ($quote !== null) {
            if ($c === '\\') { $i++; continue; }
            if ($c === $quote) { $quote = null; }
            continue;
        }
        if ($c === "'" || $c === '"') { $quote = $c; continue; }
        if ($c === '(') { $depth++; }
        if ($c === ')') { $depth--; if ($depth === 0) { return substr($page, $start, $i - $start + 1); } }
    }
    return null;
}

// Parameters the reference marks required but its example leaves out: the specs' examples send
// them (the real API refuses the call without them), so the golden does too, appended in table
// order. DeleteProjectTask's example sends `orderid`, which the action does not take.
$missingRequired = [
    'AddBillableItem' => ['unit' => 'hours'],
    'DeletePayMethod' => ['clientid' => '1'],
    'UpdateQuote' => ['quoteid' => '1'],
    'DomainUpdateNameservers' => ['ns1' => 'ns1.example.com', 'ns2' => 'ns2.example.com'],
    'DeleteProjectTask' => ['projectid' => '1', 'taskid' => '1'],
    'UpdateProject' => ['projectid' => '1'],
    'UpdateProjectTask' => ['taskid' => '1'],
    'UpdateAnnouncement' => ['announcementid' => '1'],
];
$notParameters = ['DeleteProjectTask' => ['orderid']];

$docs = __DIR__ . '/../../shared/whmcs-docs/api-reference';
$exampleOut = [];
foreach (glob("$docs/*.md") as $file) {
    $page = file_get_contents($file);
    if (!preg_match('/^title = "([A-Za-z]+)"/m', $page, $m) || $m[1] === 'API Reference') {
        continue;
    }
    $action = $m[1];
    $code = example_array($page);
    if ($code === null) {
        continue;
    }
    $code = preg_replace("/'\\$(\w+)'\s*=>/", "'$1' =>", $code);
    $code = str_replace(
        "array(configoptionid => dropdownoptionid, XXX => array('optionid' => YYY, 'qty' => ZZZ))",
        "array(5 => 12, 7 => array('optionid' => 3, 'qty' => 2))",
        $code
    );
    $params = @eval("return $code;");
    if (!is_array($params)) {
        fwrite(STDERR, "skipped $action: example does not evaluate\n");
        continue;
    }
    unset($params['action'], $params['username'], $params['password'], $params['responsetype']);
    // SendEmail's example keeps commented-out keys such as '//example1' (a known page defect).
    foreach (array_keys($params) as $key) {
        if (is_string($key) && str_starts_with($key, '//')) {
            unset($params[$key]);
        }
    }
    foreach ($notParameters[$action] ?? [] as $key) {
        unset($params[$key]);
    }
    $params += $missingRequired[$action] ?? [];
    $exampleOut[] = ['action' => $action, 'expected' => http_build_query($params)];
}

// ---------------------------------------------------------------------------
// Write the fixture
// ---------------------------------------------------------------------------
$fixture = [
    'php_version' => PHP_VERSION,
    'build_query' => $buildQuery,
    'serialize'   => $serialize,
    'parse_str'   => $parseStr,
    'examples'    => $exampleOut,
];

$target = __DIR__ . '/../whmcs-php/tests/data/php_goldens.json';
if (!is_dir(dirname($target))) {
    mkdir(dirname($target), 0777, true);
}
file_put_contents(
    $target,
    json_encode($fixture, JSON_FLAGS | JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR) . "\n"
);
printf(
    "wrote %s: build_query=%d serialize=%d parse_str=%d examples=%d\n",
    realpath($target), count($buildQuery), count($serialize), count($parseStr), count($exampleOut)
);
