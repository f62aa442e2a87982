-- A long-lived converter run as `pandoc lua pandoc_server.lua`.
--
-- Why: starting pandoc per document costs ~95 ms for a DOCX (most of it the writer's start-up);
-- a process that stays up converts the same document in ~35 ms. `pandoc server` cannot be used
-- (the bundled build fails every request), so this script speaks a tiny protocol instead.
--
-- Protocol, one request at a time:
--   request  : one line of JSON (ASCII; newlines inside strings are escaped) with the fields
--              text, from (default "markdown"), to, reader_options, writer_options
--   response : "OK <n>\n" followed by exactly n bytes of output, or
--              "ERR <n>\n" followed by n bytes of pandoc's error message.
-- Length-prefixed raw bytes avoid base64: DOCX is binary and the byte count frames it.
--
-- Every document read is cleaned by untrusted.lua before it is written: letters carry text
-- users typed, which must not make pandoc read a file, fetch a URL or pass markup through.
-- The reader runs sandboxed (it may read no file at all).
--
-- For DOCX, an empty span with class "tab" (`[]{.tab}` in Markdown) becomes a real tab
-- character, so templates can align a signature line without raw OpenXML (raw formats stay
-- disabled for user-written Markdown); it is added after the cleaning.

local stdout = io.stdout
stdout:setvbuf('full')

local here = pandoc.path.directory(arg and arg[0] or PANDOC_SCRIPT_FILE)
local sanitize = dofile(pandoc.path.join { here, 'untrusted.lua' })[1].Pandoc

local DOCX_TAB = pandoc.RawInline('openxml', '<w:r><w:tab/></w:r>')

local function docx_tabs(doc)
  return doc:walk {
    Span = function (span)
      if span.classes:includes('tab') and #span.content == 0 then
        return DOCX_TAB
      end
    end,
  }
end

local function reply(status, body)
  stdout:write(status, ' ', tostring(#body), '\n', body)
  stdout:flush()
end

local function convert(line)
  -- `false`: keep plain tables, do not turn JSON objects into pandoc AST elements.
  local req = pandoc.json.decode(line, false)
  if type(req) ~= 'table' then
    error('request is not a JSON object')
  end
  if type(req.text) ~= 'string' or type(req.to) ~= 'string' then
    error('request needs string fields "text" and "to"')
  end
  -- The empty list: the reader runs in a sandbox where no file can be read.
  local doc = pandoc.read(req.text, req.from or 'markdown', req.reader_options or {}, {})
  doc = sanitize(doc)
  if req.to == 'docx' then
    doc = docx_tabs(doc)
  end
  return pandoc.write(doc, req.to, req.writer_options or {})
end

for line in io.stdin:lines() do
  if line ~= '' then
    local ok, result = pcall(convert, line)
    if ok then
      reply('OK', result)
    else
      reply('ERR', tostring(result))
    end
  end
end
