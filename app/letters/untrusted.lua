-- Letters are made from text users typed: this filter makes sure that text cannot make pandoc
-- read a file or fetch a URL, nor carry markup into the output.
--
-- pandoc's DOCX writer fetches every image source it meets (file://, paths, http://) and embeds
-- it in word/media; its HTML writer keeps attributes (onerror=…) and javascript: links. The
-- Markdown reader is already told not to parse raw HTML/TeX/attributes, but a reader option is
-- one switch away from being lost, so the document itself is cleaned before any writer sees it:
--
--   * images (and figures) become their alternative text: letters take images only from their
--     own assets (the letterhead of reference.docx, letter.css), never from the Markdown;
--   * raw blocks and inlines (OpenXML, HTML, TeX, …) are dropped;
--   * attributes keep only simple class names and a `custom-style` naming a paragraph style;
--     identifiers and every other key (onerror, style, src, width, …) are dropped;
--   * links keep only absolute http, https and mailto targets; others become their text;
--   * document metadata (a YAML block could set a title holding an image) is dropped.
--
-- Used by pandoc_server.lua before pandoc.write, and as `--lua-filter` by convert_once.

local ALLOWED_SCHEMES = { http = true, https = true, mailto = true }

local function clean_attr(attr)
  local classes = pandoc.List()
  for _, class in ipairs(attr.classes) do
    if class:match('^%a[%w_-]*$') then
      classes:insert(class)
    end
  end
  local attributes = {}
  local style = attr.attributes['custom-style']
  if style and style:match('^[%w][%w %-]*$') then
    attributes['custom-style'] = style
  end
  return pandoc.Attr('', classes, attributes)
end

local function with_clean_attr(element)
  element.attr = clean_attr(element.attr)
  return element
end

--- The link target if it is an absolute http(s) or mailto URL, else nil.
local function allowed_target(target)
  -- Browsers ignore tabs, newlines and other controls inside a URL ("java\tscript:").
  local compact = target:gsub('[%c%s]', '')
  local scheme = compact:match('^(%a[%w+.-]*):')
  if scheme and ALLOWED_SCHEMES[scheme:lower()] then
    return compact
  end
  return nil
end

local cleaner = {
  Image = function (image)
    return image.caption
  end,
  Figure = function (figure)
    return figure.content
  end,
  RawInline = function ()
    return {}
  end,
  RawBlock = function ()
    return {}
  end,
  Link = function (link)
    local target = allowed_target(link.target)
    if not target then
      return link.content
    end
    link.target = target
    link.title = ''
    return with_clean_attr(link)
  end,
  Span = with_clean_attr,
  Div = with_clean_attr,
  Code = with_clean_attr,
  CodeBlock = with_clean_attr,
  Header = with_clean_attr,
  Table = with_clean_attr,
}

--- Count what must not be left: any image, figure or raw element.
local function leftovers(doc)
  local count = 0
  local function found()
    count = count + 1
  end
  doc:walk { Image = found, Figure = found, RawInline = found, RawBlock = found }
  return count
end

--- Clean a document read from untrusted Markdown; fails rather than write a doubtful one.
local function sanitize(doc)
  doc = pandoc.Pandoc(doc.blocks, pandoc.Meta {})
  -- Elements are replaced bottom-up; a second pass covers anything a replacement exposed.
  for _ = 1, 3 do
    doc = doc:walk(cleaner)
    if leftovers(doc) == 0 then
      return doc
    end
  end
  error('the text holds images or raw markup that could not be removed')
end

return { { Pandoc = sanitize } }
